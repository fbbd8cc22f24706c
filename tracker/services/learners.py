"""Learners: whose data a row is. One by default; many on a shared database."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tracker import clock
from tracker.models import Learner


def learner_id(session: Session, name: str, *, create: bool = True) -> int | None:
    """The id of the learner called ``name``, created on first use when ``create``."""
    found = session.execute(select(Learner.id).where(Learner.name == name)).scalar()
    if found is not None or not create:
        return found
    learner = Learner(name=name, created_at=clock.now())
    session.add(learner)
    session.flush()
    return learner.id
