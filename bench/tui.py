"""TUI start-up and memory (the TUI issue's figures), whole processes side by side.

- first paint: certjourney vs a minimal Textual app (Header, a 50-row
  DataTable, Footer) — limit 1.3x;
- dashboard filled with data, on an empty database and on 100,000 entries —
  limit 2.5x of the minimal app;
- peak memory with 100,000 entries — limit 250 MB, for the app and the child
  that reads its first screen together (tracker.tui.prefetch).

Both apps run headless and leave at the measured point (CERTJOURNEY_BENCH_EXIT).
Run: python bench/tui.py [--runs N] [--entries N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import certjourney_argv, compare, compile_project, report  # noqa: E402

MINIMAL_APP = """
import os, resource
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Minimal(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("a", "b", "c")
        for i in range(50):
            table.add_row(str(i), f"row {i}", str(i * i))
        self.call_after_refresh(self.exit)

Minimal().run(headless=True)
"""


def peak_memory_mb(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(the app's own peak resident memory, the largest peak of it and the processes it
    waited for), in MB. The app reports the first itself on leaving (maxrss_mb=...); the
    kernel's accounting of the children gives the second, which is the prefetching child's
    when that one is larger. Their sum bounds what both held at once."""
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], check=True, "
            "capture_output=True, text=True); print(p.stdout + p.stderr); "
            "print('children', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *argv], env={**os.environ, **env},
                         check=True, capture_output=True, text=True).stdout
    own = float(re.search(r"maxrss_mb=([\d.]+)", out).group(1))
    largest = int(re.search(r"children (\d+)", out).group(1)) / 1024
    return own, largest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    compile_project()
    from generate import cached

    history = cached(args.entries)
    cj = certjourney_argv()
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.db"
        subprocess.run([*cj, "--db", str(empty), "goal", "add", "SAA-C03", "--exam-date", "+6w",
                        "--target-hours", "60"], check=True, stdout=subprocess.DEVNULL)
        big = Path(tmp) / "big.db"
        shutil.copyfile(history.db, big)
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        base = {"CERTJOURNEY_HEADLESS": "1"}
        print(f"python {sys.version.split()[0]}; project byte-compiled; {args.runs} interleaved runs; "
              f"{args.entries} entries")
        medians = compare({
            "minimal Textual app": [sys.executable, str(minimal)],
            "certjourney first paint": ["env", "CERTJOURNEY_BENCH_EXIT=paint", *cj, "--db", str(empty)],
            "dashboard filled, empty db": ["env", "CERTJOURNEY_BENCH_EXIT=dashboard", *cj, "--db",
                                           str(empty)],
            f"dashboard filled, {args.entries} entries": ["env", "CERTJOURNEY_BENCH_EXIT=dashboard",
                                                          *cj, "--db", str(big)],
        }, runs=args.runs, env=base)
        ok = report("TUI", medians, "minimal Textual app", limits={
            "certjourney first paint": 1.3, "dashboard filled, empty db": 2.5,
            f"dashboard filled, {args.entries} entries": 2.5})
        own, largest = peak_memory_mb(["env", "CERTJOURNEY_BENCH_EXIT=dashboard", *cj, "--db",
                                       str(big)], base)
        memory = own + largest   # an upper bound: the two peaks need not coincide
        held = memory <= 250
        ok &= held
        print(f"\npeak memory, dashboard on {args.entries} entries: the app {own:.0f} MB, the largest "
              f"of it and its prefetching child {largest:.0f} MB; together at most {memory:.0f} MB "
              f"(limit 250 MB: {'ok' if held else 'MISSED'})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
