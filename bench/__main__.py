"""Run every benchmark module under bench/ (``make bench``).

Each ``bench_*.py`` exposes ``run() -> list[Result]``; figures are reported as ratios
against a baseline measured in the same run, since the machines are shared and noisy.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main() -> int:
    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    if not names:
        print("no benchmarks yet")
        return 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}")
        for line in module.run():
            print(f"   {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
