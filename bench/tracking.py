"""Time tracking at scale: certjourney against Watson and Timewarrior on one history.

The history (bench/generate.py, 100,000 entries by default, cached under
bench/.work) is written once for each tool; every command below runs as a
whole process, interleaved with the one it is compared with, and we report
medians and ratios.

- ``certjourney report`` (all time) against ``watson report --all``: certjourney
  at least 5x faster.
- ``certjourney report --from MON --to SUN`` against ``watson report --from MON
  --to SUN`` (a week full of entries): at least 5x faster.
- ``certjourney report`` (all time) against ``timew summary :all``: at least 10x
  faster.
- ``certjourney start``, ``status`` and ``stop`` (in that order in each round, on
  a copy of the database) against ``python -c 'import sqlmodel'``: within 1.3x.
- ``certjourney import toggl`` of the same history as a Toggl CSV into a new
  database holding the same goals: under 5 s.

Before timing, every tool's total for all time and for the week is checked to
be the same, so the comparisons are like for like.

Run: ``python bench/tracking.py [--entries N] [--runs 7] [--slow-runs 3]
[--import-runs 3]`` from the project's virtual environment. Timewarrior is the
Debian package ``timewarrior`` (``apt-get install timewarrior``); Watson is
installed into bench/.work/watson on first use. Exits 1 when a limit is missed,
2 when a tool or command is missing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    certjourney_argv,
    compare_runs,
    compile_project,
    report,
    run_timed,
    tool_venv,
)
from generate import DEFAULT_ENTRIES, cached  # noqa: E402

REPORT_SPEEDUP = 5.0   # certjourney report vs watson report, all time and one week
TIMEW_SPEEDUP = 10.0   # certjourney report vs timew summary :all
TRACKING_LIMIT = 1.3   # start/status/stop vs python -c 'import sqlmodel'
IMPORT_LIMIT = 5.0     # seconds for import toggl of the whole history
SECTIONS = ("all", "week", "timew", "timer", "import")


def speedup(title: str, medians: dict[str, float], cpu: dict[str, float], ours: str,
            theirs: str, limit: float) -> bool:
    """Print both medians and how many times faster ``ours`` is; whether it is ``limit``x."""
    print(f"\n{title}")
    for name, value in medians.items():
        print(f"  {name:<58} {value * 1000:9.1f} ms   (cpu {cpu[name] * 1000:8.1f} ms)")
    factor = medians[theirs] / medians[ours]
    holds = factor >= limit
    print(f"  certjourney is {factor:.2f}x faster (limit: at least {limit:g}x: "
          f"{'ok' if holds else 'MISSED'}); in CPU time {cpu[theirs] / cpu[ours]:.2f}x")
    return holds


def cpu_ratios(cpu: dict[str, float], baseline: str) -> None:
    """The CPU-time medians and ratios, below a wall-clock report."""
    print("  in CPU time (user + system): " + ", ".join(
        f"{name.split(' --')[0]} {value * 1000:.0f} ms ({value / cpu[baseline]:.2f}x)"
        for name, value in cpu.items()))


def output(argv: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr}")
    return proc.stdout


def hms_seconds(text: str) -> int:
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def check_totals(cj: list[str], watson: list[str], timew: str | None, week: tuple[str, str],
                 env: dict[str, str]) -> None:
    """Every tool must see the same hours, or the comparison would be unfair."""
    full = {**os.environ, **env}
    ours = json.loads(output([*cj, "report", "--json"], full))["total_seconds"]
    theirs = round(json.loads(output([*watson, "report", "--all", "--json"], full))["time"])
    ours_week = json.loads(output([*cj, "report", "--from", week[0], "--to", week[1],
                                   "--json"], full))["total_seconds"]
    theirs_week = round(json.loads(output([*watson, "report", "--from", week[0], "--to", week[1],
                                           "--json"], full))["time"])
    totals = {"certjourney": ours, "watson": theirs}
    if timew:
        last = output([timew, "summary", ":all"], full).split()[-1]
        totals["timew"] = hms_seconds(last)
    print(f"totals: all time {', '.join(f'{k} {v / 3600:,.1f} h' for k, v in totals.items())}; "
          f"week {week[0]} to {week[1]}: certjourney {ours_week / 3600:.1f} h, "
          f"watson {theirs_week / 3600:.1f} h")
    if len(set(totals.values())) != 1 or ours_week != theirs_week:
        raise SystemExit("the tools disagree on the totals; the history is not the same")


def has_commands(cj: list[str], names: list[str]) -> list[str]:
    """Which of the certjourney commands ``names`` are missing."""
    missing = []
    for name in names:
        argv = [*cj, *name.split(), "--help"]
        if subprocess.run(argv, capture_output=True).returncode != 0:
            missing.append(name)
    return missing


def tracking_rounds(cj: list[str], db: str, cert: str, runs: int, env: dict[str, str],
                    cpu: dict[str, float]) -> dict[str, float]:
    """start, status, stop in each round (each start has its stop), beside the baseline.

    The timer counts whole seconds and refuses a stop in the second of its start,
    so before ``stop`` we wait (untimed) for the next second.
    """
    full = {**os.environ, **env}
    commands = {
        "python -c 'import sqlmodel'": [sys.executable, "-c", "import sqlmodel"],
        f"certjourney start bench --cert {cert}": [*cj, "--db", db, "start", "bench",
                                                    "--cert", cert],
        "certjourney status": [*cj, "--db", db, "status"],
        "certjourney stop": [*cj, "--db", db, "stop"],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for i in range(runs + 1):  # the first round is the warm-up
        started = 0.0
        for name, argv in commands.items():
            if name == "certjourney stop":
                time.sleep(max(0.0, math.floor(started) + 1.05 - time.time()))
            elapsed, used = run_timed(argv, full)
            if name.startswith("certjourney start"):
                started = time.time()
            if i:
                samples[name].append(elapsed)
                cpus[name].append(used)
    cpu.update({name: statistics.median(values) for name, values in cpus.items()})
    return {name: statistics.median(values) for name, values in samples.items()}


def import_runs(cj: list[str], toggl: Path, goal_args: list[list[str]], hours: float, runs: int,
                tmp: Path, env: dict[str, str], cpu: list[float]) -> list[float]:
    """``import toggl`` into fresh copies of a database holding only the history's goals."""
    full = {**os.environ, **env}
    template = tmp / "goals.db"
    for args in goal_args:
        subprocess.run([*cj, "--db", str(template), *args], env=full, check=True,
                       stdout=subprocess.DEVNULL)
    times = []
    for i in range(runs + 1):  # the first is the warm-up
        db = tmp / f"import-{i}.db"
        shutil.copyfile(template, db)
        elapsed, used = run_timed([*cj, "--db", str(db), "import", "toggl", str(toggl)], full)
        if i == 0:
            counted = json.loads(output([*cj, "--db", str(db), "report", "--json"], full))
            got = round(counted["total_seconds"] / 3600, 1)
            print(f"  (checked: the new database holds {got:,.1f} h)")
            if got != hours:
                raise SystemExit(f"import toggl gave {got} h, not the history's {hours} h")
        else:
            times.append(elapsed)
            cpu.append(used)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES)
    parser.add_argument("--runs", type=int, default=7, help="Runs of certjourney and baselines.")
    parser.add_argument("--slow-runs", type=int, default=3, help="Runs of watson and timew.")
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="PART",
                        help=f"Run only this part ({', '.join(SECTIONS)}); repeatable.")
    args = parser.parse_args()
    parts = set(args.only or SECTIONS)

    cj = certjourney_argv()
    needed = (["report"] if parts & {"all", "week", "timew"} else []) \
        + (["start", "status", "stop"] if "timer" in parts else []) \
        + (["import toggl"] if "import" in parts else [])
    missing = has_commands(cj, needed)
    timew = shutil.which("timew") if "timew" in parts else "(not used)"
    if timew is None:
        print("timew not found: install Debian's timewarrior (apt-get install timewarrior); "
              "the Timewarrior comparison is skipped")
    if missing:
        print(f"certjourney lacks {', '.join(missing)}: those comparisons are skipped")

    history = cached(args.entries)
    meta = history.meta
    compile_project()
    watson = [str(tool_venv("watson", "td-watson") / "watson")]
    week = tuple(meta["week"])
    ok = True
    with tempfile.TemporaryDirectory(prefix="cj-bench-") as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "certjourney.db"
        shutil.copyfile(history.db, db)  # the cached one stays as generated
        env = {
            "WATSON_DIR": str(history.watson),
            "TIMEWARRIORDB": str(history.timewarrior),
            "CERTJOURNEY_LEARNER": meta["learner"],
            "CERTJOURNEY_DB": str(db),
        }
        cj_db = [*cj, "--db", str(db)]
        print(f"python {sys.version.split()[0]}; project byte-compiled "
              f"(PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!s}); "
              f"{meta['entries']:,} entries, {meta['hours']:,.0f} h, {meta['first_day']} to "
              f"{meta['last_day']}; {args.runs} runs, {args.slow_runs} for watson and timew, "
              "interleaved; medians")
        ours = "certjourney report"
        cpu: dict[str, float] = {}
        if "report" in needed and "report" not in missing:
            check_totals(cj_db, watson, timew if "timew" in parts else None, week, env)
        if "all" in parts and "report" not in missing:
            medians = compare_runs({
                "watson report --all": [*watson, "report", "--all", "--no-pager"],
                ours: [*cj_db, "report"],
            }, {"watson report --all": args.slow_runs, ours: args.runs}, env=env, cpu=cpu)
            ok &= speedup("report, all time", medians, cpu, ours, "watson report --all",
                          REPORT_SPEEDUP)
        if "week" in parts and "report" not in missing:
            theirs = f"watson report --from {week[0]} --to {week[1]}"
            ours_week = f"certjourney report --from {week[0]} --to {week[1]}"
            medians = compare_runs({
                theirs: [*watson, "report", "--from", week[0], "--to", week[1], "--no-pager"],
                ours_week: [*cj_db, "report", "--from", week[0], "--to", week[1]],
            }, {theirs: args.slow_runs, ours_week: args.runs}, env=env, cpu=cpu)
            ok &= speedup(f"report, one week ({meta['week_entries']} entries)", medians, cpu,
                          ours_week, theirs, REPORT_SPEEDUP)
        if "timew" in parts and "report" not in missing:
            if timew:
                medians = compare_runs({
                    "timew summary :all": [timew, "summary", ":all"],
                    ours: [*cj_db, "report"],
                }, {"timew summary :all": args.slow_runs, ours: args.runs}, env=env, cpu=cpu)
                ok &= speedup("report, all time, against Timewarrior", medians, cpu, ours,
                              "timew summary :all", TIMEW_SPEEDUP)
            else:
                ok = False

        if "timer" in parts and not {"start", "status", "stop"} & set(missing):
            cpu = {}
            medians = tracking_rounds(cj, str(db), meta["open_cert"], args.runs, env, cpu)
            baseline = "python -c 'import sqlmodel'"
            ok &= report("timer (start, status, stop in each round, on a copy of the database)",
                         medians, baseline,
                         limits={name: TRACKING_LIMIT for name in medians if name != baseline})
            cpu_ratios(cpu, baseline)

        if "import" in parts and "import toggl" not in missing:
            print(f"\nimport toggl ({meta['entries']:,} rows) into a new database with the "
                  "same goals")
            import_cpu: list[float] = []
            times = import_runs(cj, history.toggl, meta["goal_add"], meta["hours"],
                                args.import_runs, tmp, env, import_cpu)
            median = statistics.median(times)
            holds = median < IMPORT_LIMIT
            ok &= holds
            print(f"  certjourney import toggl {median * 1000:9.1f} ms median of {len(times)} "
                  f"({', '.join(f'{t:.2f}' for t in times)} s)   (limit {IMPORT_LIMIT:g} s: "
                  f"{'ok' if holds else 'MISSED'}); cpu {statistics.median(import_cpu):.2f} s")
    if missing or timew is None:
        print(f"\nnot measured: {', '.join(missing + ([] if timew else ['timew']))}")
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
