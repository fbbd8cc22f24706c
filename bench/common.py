"""Side-by-side timing of whole processes: interleaved runs, medians, ratios.

The machine is noisy, so every command of a comparison runs once per round,
in turn, for several rounds; we report the median of each and the ratios
between them, all from the same run.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"


def compile_project() -> None:
    """Byte-compile the project: PYTHONDONTWRITEBYTECODE would else recompile it on every start."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tracker"),
                    str(ROOT / "exporters")], check=True)


def certjourney_argv() -> list[str]:
    script = Path(sys.executable).with_name("certjourney")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker"]


def tool_venv(name: str, *packages: str) -> Path:
    """A virtual environment of its own under bench/.work holding ``packages``."""
    env_dir = WORK / name
    marker = env_dir / ".installed"
    if not marker.exists():
        venv.create(env_dir, with_pip=True, clear=True)
        subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", *packages],
                       check=True)
        marker.write_text(" ".join(packages))
    return env_dir / "bin"


def run_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def compare(commands: dict[str, list[str]], *, runs: int = 11, env: dict[str, str] | None = None,
            warmup: int = 1) -> dict[str, float]:
    """Median seconds per command, interleaving the commands in each round."""
    full_env = {**os.environ, **(env or {})}
    for _ in range(warmup):
        for argv in commands.values():
            run_once(argv, full_env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(run_once(argv, full_env))
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, medians: dict[str, float], baseline: str, *, limits: dict[str, float]
           | None = None) -> bool:
    """Print medians and ratios against ``baseline``; return whether every limit holds."""
    print(f"\n{title}")
    base = medians[baseline]
    ok = True
    for name, value in medians.items():
        ratio = value / base
        line = f"  {name:<44} {value * 1000:8.1f} ms   {ratio:5.2f}x {baseline}"
        if limits and name in limits:
            holds = ratio <= limits[name]
            ok &= holds
            line += f"   (limit {limits[name]}x: {'ok' if holds else 'MISSED'})"
        print(line)
    return ok



def run_timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``argv``.

    CPU time hardly depends on what else the machine is doing, so it is a useful
    second opinion when wall-clock times are noisy.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run_once(argv, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare_runs(commands: dict[str, list[str]], runs: dict[str, int], *,
                 env: dict[str, str] | None = None, warmup: int = 1,
                 cpu: dict[str, float] | None = None) -> dict[str, float]:
    """Like :func:`compare`, with a number of runs per command (fewer for slow tools).

    Round ``i`` runs, in turn, every command that still has runs left, so the
    commands stay interleaved for as long as they all run. When ``cpu`` is a
    dict, it receives each command's median CPU seconds.
    """
    full_env = {**os.environ, **(env or {})}
    for _ in range(warmup):
        for argv in commands.values():
            run_once(argv, full_env)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for i in range(max(runs[name] for name in commands)):
        for name, argv in commands.items():
            if i < runs[name]:
                wall, used = run_timed(argv, full_env)
                walls[name].append(wall)
                cpus[name].append(used)
    if cpu is not None:
        cpu.update({name: statistics.median(values) for name, values in cpus.items()})
    return {name: statistics.median(values) for name, values in walls.items()}
