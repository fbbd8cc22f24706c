"""``certjourney practice``."""

from __future__ import annotations

import click


@click.group("practice")
def practice():
    """(being written)"""
