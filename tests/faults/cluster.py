"""A throwaway PostgreSQL cluster (initdb + pg_ctl) that a fault test may stop and start.

The shared test server must not be restarted (other tests use it at the same time), so the
fault tests get a cluster of their own: a temporary data directory, a free port on loopback,
trust authentication. As root, the server binaries run as the `postgres` user (PostgreSQL
refuses to run as root); otherwise as the current user.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN_GLOB = "/usr/lib/postgresql/*/bin"
TOOLS = ("initdb", "pg_ctl")


class ClusterUnavailable(RuntimeError):
    """A throwaway cluster cannot be run on this machine (the message says why)."""


def _version(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", Path(path).parent.name))


def find_bin_dir() -> Path:
    """Return the newest directory holding initdb and pg_ctl (Debian's layout, then PATH)."""
    candidates = sorted(glob.glob(BIN_GLOB), key=_version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for candidate in candidates:
        if all((Path(candidate) / tool).is_file() for tool in TOOLS):
            return Path(candidate)
    raise ClusterUnavailable(
        f"no PostgreSQL server binaries ({', '.join(TOOLS)}) in {BIN_GLOB} or on PATH; "
        "install the PostgreSQL server package (apt-get install postgresql)"
    )


def _owner_prefix() -> tuple[list[str], str | None]:
    """Return the command prefix that runs the server binaries, and the data's owner."""
    if os.geteuid() != 0:
        return [], None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ClusterUnavailable(
            "running as root needs a `postgres` user to own the cluster"
        ) from None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ClusterUnavailable("running as root needs `runuser` to start PostgreSQL as postgres")
    return [runuser, "-u", "postgres", "--"], "postgres"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One PostgreSQL server on its own data directory and port."""

    def __init__(self) -> None:
        self.bin = find_bin_dir()
        self.prefix, owner = _owner_prefix()
        self.root = Path(tempfile.mkdtemp(prefix="survey-faults-pg-"))
        if owner is not None:
            shutil.chown(self.root, owner, owner)
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = [*self.prefix, str(self.bin / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise ClusterUnavailable(
                f"{tool} {' '.join(args[:2])} failed ({done.returncode}): "
                f"{(done.stderr or done.stdout).strip()[-500:]}\n{self.log()}"
            )

    def init(self) -> None:
        """Create the data directory (trust authentication, superuser `postgres`)."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-sync")  # fmt: skip

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.root / "log"),
                  "-w", "-t", "60", "-o", options)  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; `fast` aborts open transactions and closes every connection."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "60")

    def log(self) -> str:
        """Return the end of the server's log (for failure messages)."""
        path = self.root / "log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def destroy(self) -> None:
        """Stop the server if it runs and remove its files."""
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop("immediate")
            except ClusterUnavailable:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
