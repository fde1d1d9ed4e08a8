"""Run every benchmark module under bench/ (``make bench``).

Each ``bench_*.py`` exposes ``run() -> list[Result]``; figures are reported as ratios
against a baseline measured in the same run, since the machines are shared and noisy.
Each module runs in a process of its own, with the environment ``make bench`` started
with, so one module's database or settings cannot leak into the next; the command exits
non-zero when any module fails, after running the others.
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import bench


def _run_one(name: str) -> int:
    import importlib

    module = importlib.import_module(f"bench.{name}")
    for line in module.run():
        print(f"   {line}", flush=True)
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--one":
        return _run_one(argv[1])
    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    if argv:
        names = [n for n in names if n in argv or n.removeprefix("bench_") in argv]
    if not names:
        print("no benchmarks yet")
        return 0
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        done = subprocess.run(
            [sys.executable, "-m", "bench", "--one", name], env=dict(os.environ), check=False
        )
        if done.returncode != 0:
            failed.append(name)
            print(f"   FAILED (exit {done.returncode})", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
