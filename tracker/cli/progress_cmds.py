"""Progress toward exam dates, study plans, the journey and weak areas."""

from __future__ import annotations

COMMANDS: list = []
