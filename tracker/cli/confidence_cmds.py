"""``certjourney confidence``."""

from __future__ import annotations

import click


@click.command("confidence")
def confidence():
    """(being written)"""
