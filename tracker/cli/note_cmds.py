"""``certjourney note``."""

from __future__ import annotations

import click


@click.group("note")
def note():
    """(being written)"""
