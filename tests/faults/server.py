"""The app under gunicorn as deployed: production settings, behind one (simulated) proxy.

Gunicorn runs with `--preload`: the app is imported once and the workers are forked from it,
which boots several workers in the time of one (the factory opens no database connection,
so nothing is shared across the fork).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.faults.cluster import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def migrate(database_url: str, instance: Path) -> None:
    """Build the schema with the real CLI, as an operator would: `survey db upgrade`."""
    env = {**os.environ, "DATABASE_URL": database_url, "SURVEY_INSTANCE_DIR": str(instance)}
    done = subprocess.run(
        [str(BIN / "survey"), "db", "upgrade"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"survey db upgrade failed:\n{done.stderr[-3000:]}"


class AppServer:
    """`gunicorn wsgi:app` with several sync workers on a free loopback port."""

    def __init__(self, database_url: str, workdir: Path, *, workers: int = 3) -> None:
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "gunicorn.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SURVEY_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "SURVEY_PROXY_COUNT": "1",  # the test client plays the reverse proxy
            "SURVEY_BASE_URL": "https://enkat.example.se",
            "SURVEY_INSTANCE_DIR": str(workdir / "instance"),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def launch(self) -> None:
        """Start gunicorn (in a process group of its own); see wait_ready()."""
        command = [
            str(BIN / "gunicorn"),
            *("--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}"),
            *("--timeout", "60", "--preload", "wsgi:app"),
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def wait_ready(self) -> None:
        """Wait until every worker has booted and the app answers its health check."""
        assert self.process is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()[-5000:]}"
            if len(self.worker_pids()) == self.workers and self._healthy():
                return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not come up:\n{self.log()[-5000:]}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as reply:
                return reply.status == 200
        except urllib.error.HTTPError as error:
            error.close()
            return False
        except OSError:
            return False

    def worker_pids(self) -> set[int]:
        """Return the process ids of gunicorn's workers (children of the master)."""
        assert self.process is not None
        children: set[int] = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Fields after the parenthesised command name: state, ppid, ...
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                children.add(int(entry.name))
        return children

    def log_size(self) -> int:
        """Return how much gunicorn and the app have written so far (an offset for log())."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log(self, since: int = 0) -> str:
        """Return what gunicorn and the app wrote after offset `since`."""
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as log:
            log.seek(since)
            return log.read().decode("utf-8", errors="replace")

    def errors(self, since: int = 0) -> list[str]:
        """Return the log lines that report a server error (gunicorn's or the app's own)."""
        return [
            line
            for line in self.log(since).splitlines()
            if "[ERROR]" in line or "ERROR in " in line or "Traceback" in line
        ]

    def kill(self) -> None:
        """Kill gunicorn's master and workers at once (the test is over; nothing to drain)."""
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None
