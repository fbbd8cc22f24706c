"""``certjourney import notes``."""

from __future__ import annotations

import click


@click.command("notes")
def notes():
    """(being written)"""
