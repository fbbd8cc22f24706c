"""Progress and weak areas at scale (the coverage issue's figures).

``certjourney progress`` and ``certjourney weak`` on a 100,000-entry history
(bench/generate.py), whole processes, each against ``python -c 'import
sqlmodel'`` in the same run: limit 1.5x. Aggregations happen in SQL, so the
size of the history should barely show.

Run: python bench/progress.py [--runs N] [--entries N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import certjourney_argv, compare, compile_project, report  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    compile_project()
    from generate import cached

    history = cached(args.entries)
    meta = history.meta
    cj = certjourney_argv()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history.db"
        shutil.copyfile(history.db, db)
        env = {"CERTJOURNEY_LEARNER": meta["learner"]}
        code = meta["open_cert"]
        print(f"python {sys.version.split()[0]}; project byte-compiled; {args.runs} interleaved runs; "
              f"{meta['entries']:,} entries")
        medians = compare({
            "python -c 'import sqlmodel'": [sys.executable, "-c", "import sqlmodel"],
            f"certjourney progress {code}": [*cj, "--db", str(db), "progress", code],
            "certjourney progress (all open goals)": [*cj, "--db", str(db), "progress"],
            f"certjourney weak {code}": [*cj, "--db", str(db), "weak", code],
        }, runs=args.runs, env=env)
        ok = report("progress and weak areas", medians, "python -c 'import sqlmodel'", limits={
            f"certjourney progress {code}": 1.5, "certjourney progress (all open goals)": 1.5,
            f"certjourney weak {code}": 1.5})
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
