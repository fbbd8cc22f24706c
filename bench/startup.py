"""Start-up cost of the CLI (the backbone issue's figures).

- ``certjourney --help`` against ``watson --help`` (td-watson, installed into
  bench/.work/watson): limit 1.5x.
- ``certjourney goal list`` against ``python -c 'import sqlmodel'``: limit 1.3x.

Run: ``python bench/startup.py [--runs N]`` from the project's virtual environment.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import certjourney_argv, compare, compile_project, report, tool_venv  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    compile_project()
    watson_bin = tool_venv("watson", "td-watson")
    cj = certjourney_argv()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        for code in ("SAA-C03", "MLA-C01", "AZ-900"):
            subprocess.run([*cj, "--db", db, "goal", "add", code, "--exam-date", "+8w",
                            "--target-hours", "60"], check=True, stdout=subprocess.DEVNULL)
        env = {"WATSON_DIR": tmp}
        print(f"python {sys.version.split()[0]}; project byte-compiled; {args.runs} interleaved runs")
        help_medians = compare({
            "watson --help": [str(watson_bin / "watson"), "--help"],
            "certjourney --help": [*cj, "--help"],
        }, runs=args.runs, env=env)
        ok = report("--help", help_medians, "watson --help", limits={"certjourney --help": 1.5})
        list_medians = compare({
            "python -c 'import sqlmodel'": [sys.executable, "-c", "import sqlmodel"],
            "certjourney goal list": [*cj, "--db", db, "goal", "list"],
        }, runs=args.runs, env=env)
        ok &= report("goal list", list_medians, "python -c 'import sqlmodel'",
                     limits={"certjourney goal list": 1.3})
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
