"""Run one command and print its wall time and peak memory as JSON (used by run_child).

A wrapper process of its own, so RUSAGE_CHILDREN holds only this command's maximum RSS.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    """Run argv[1:], wait, print {"seconds", "peak_mb", "returncode"} on the last line."""
    started = time.perf_counter()
    completed = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
