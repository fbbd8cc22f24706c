"""The catalogs are found from an installed wheel, not only from a checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_lists_the_catalogs(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("certjourney-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   check=True, capture_output=True)
    workdir = tmp_path / "elsewhere"  # nowhere near the checkout
    workdir.mkdir()
    out = subprocess.run(
        [str(bin_dir / "certjourney"), "--db", str(workdir / "x.db"), "catalog", "list", "--json"],
        check=True, capture_output=True, text=True, cwd=workdir,
    ).stdout
    exams = json.loads(out)
    assert {"CLF-C02", "MLS-C01", "DP-100", "GCP-PMLE"} <= {e["code"] for e in exams}
    show = subprocess.run(
        [str(bin_dir / "python"), "-m", "tracker", "catalog", "show", "mls-c01", "--json"],
        check=True, capture_output=True, text=True, cwd=workdir,
    ).stdout
    assert "site-packages" in json.loads(show)["source"]
