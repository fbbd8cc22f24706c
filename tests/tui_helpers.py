"""Driving the app in tests."""

from __future__ import annotations

import asyncio

from tracker.settings import Settings
from tracker.tui.app import make_app


def app_for(db_url: str, *, poll: bool = False):
    return make_app(Settings.resolve(db=db_url, learner="tester"), poll=poll)


async def settle(app, pilot, rounds: int = 6) -> None:
    """Let every worker (and what their results start) finish."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)


def run(scenario) -> None:
    asyncio.run(scenario())
