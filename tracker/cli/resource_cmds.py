"""``certjourney resource``."""

from __future__ import annotations

import click


@click.group("resource")
def resource():
    """(being written)"""
