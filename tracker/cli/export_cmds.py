"""``certjourney export``: write your data for other tools."""

from __future__ import annotations

import click


@click.group("export")
def export():
    """Export your entries (Toggl CSV, JSON)."""
