"""Atomic writes: all or nothing, in the same folder, with ordinary permissions."""

from __future__ import annotations

import os

import pytest

from tracker.errors import InvalidInput
from tracker.files import atomic_write_text, atomic_writer


def test_new_file_gets_the_umask_mode_and_existing_keeps_its_own(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "out.csv"
        atomic_write_text(path, "a\n")
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o600)
        atomic_write_text(path, "b\n")
        assert path.read_text() == "b\n" and path.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    path = tmp_path / "deck.apkg"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(path) as handle:
        handle.write("half")
        raise RuntimeError("disk full")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]


def test_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(InvalidInput, match="does not exist"):
        atomic_write_text(tmp_path / "nope" / "x.json", "{}")
