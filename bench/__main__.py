"""`make bench`: run every `bench/bench_*.py` and write one Markdown table.

Each module exposes `run() -> list[tuple[str, str, str]]`: rows of (metric, measured, target).
The table goes to stdout and to `bench/results.md`.
"""

from __future__ import annotations

import importlib
import pkgutil
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    only = set(sys.argv[1:])
    lines = [
        f"# backcheck benchmarks ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"Python {platform.python_version()})",
        "",
        "| part | metric | measured | target |",
        "| --- | --- | --- | --- |",
    ]
    for name in names:
        part = name.removeprefix("bench_")
        if only and part not in only:
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(f"bench.{name}")
        for metric, measured, target in module.run():
            lines.append(f"| {part} | {metric} | {measured} | {target} |")
    table = "\n".join(lines) + "\n"
    print(table)
    (HERE / "results.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
