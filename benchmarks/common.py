"""Timing helpers for the benchmark scripts: whole commands as subprocesses, medians, peak memory."""

from __future__ import annotations

import atexit
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUALCODE = [sys.executable, "-m", "qualcode"]


def run_timed(args: list[str], cwd: Path, repeat: int = 1, env: dict | None = None) -> tuple[float, float]:
    """Median wall seconds over `repeat` runs, and the largest peak RSS (MB) of any run.
    Each run is measured in a fresh child so its peak memory is its own."""
    times, peaks = [], []
    for _ in range(repeat):
        pid_read, pid_write = os.pipe()
        started = time.perf_counter()
        child = os.fork()
        if child == 0:
            os.close(pid_read)
            os.chdir(cwd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execvpe(args[0], args, {**os.environ, **(env or {})})
        os.close(pid_write)
        _, status, usage = os.wait4(child, 0)
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        os.close(pid_read)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"command failed: {' '.join(args)}")
    return statistics.median(times), max(peaks)


def report(rows: list[tuple[str, float, float | None, str]]) -> None:
    print(f"{'what':58} {'seconds':>9} {'peak MB':>8}  goal")
    for what, seconds, peak, goal in rows:
        print(f"{what:58} {seconds:9.3f} {peak if peak is not None else float('nan'):8.0f}  {goal}")


def self_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scratch_folder(keep: Path | None, prefix: str) -> Path:
    """The folder a benchmark works in: `keep` (left in place), or a new temporary folder that is
    removed when the script ends (its synthetic projects and transcripts can take gigabytes)."""
    if keep:
        return keep
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
