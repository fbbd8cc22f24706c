"""SQLModel tables. Every row a learner owns carries ``learner_id``.

Instants are stored as whole UTC seconds (BIGINT) so that durations and
groupings are plain integer arithmetic on SQLite and PostgreSQL alike; the
ORM hands them out as aware ``datetime`` objects. The schema is owned by
Alembic (``tracker/migrations``): change a table here and add a revision there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

GOAL_STATUSES = ("planned", "studying", "booked", "passed", "failed", "expired")
OPEN_STATUSES = ("planned", "studying", "booked")


class UtcTimestamp(TypeDecorator):
    """An aware datetime stored as integer seconds since the Unix epoch."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, int):
            return value
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return int(value.timestamp())

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return datetime.fromtimestamp(int(value), UTC)


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class Learner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))


class Goal(SQLModel, table=True):
    """A learner's pursuit of one exam. The same exam may appear in several goals."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=_fk("learner.id"))
    exam_code: str = Field(sa_column=Column(String(40), nullable=False))
    status: str = Field(default="planned", sa_column=Column(String(20), nullable=False))
    exam_date: date | None = None
    target_hours: float | None = None
    passed_on: date | None = None
    badge_url: str | None = Field(default=None, sa_column=Column(String(500)))
    created_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))


class Entry(SQLModel, table=True):
    """A span of study time; ``end_at`` is empty while the entry is the running timer."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=_fk("learner.id"))
    goal_id: int = Field(sa_column=_fk("goal.id"))
    topic: str | None = Field(default=None, sa_column=Column(String(200)))
    description: str = Field(default="", sa_column=Column(String(2000), nullable=False))
    start_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))
    end_at: datetime | None = Field(default=None, sa_column=Column(UtcTimestamp))
    source: str = Field(default="manual", sa_column=Column(String(20), nullable=False))
    source_key: str | None = Field(default=None, sa_column=Column(String(200)))
    # The foreign key to resource.id lives in the database (migration 0002) but not
    # here: the ORM would then need the resource table built for every flush, and
    # the timer commands keep the study tables unloaded.
    resource_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    created_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))

    # Indexes live in the migrations only: among them a partial unique index
    # (uq_entry_running) that allows one running timer per learner. Declaring
    # dialect-specific indexes here would load every PostgreSQL dialect module
    # on each start, SQLite or not.
    __table_args__ = (UniqueConstraint("learner_id", "source_key", name="uq_entry_source_key"),)


class EntryTag(SQLModel, table=True):
    __tablename__ = "entry_tag"

    entry_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True
        )
    )
    tag: str = Field(sa_column=Column(String(100), primary_key=True, index=True))


# The other tables live in tracker.study_models and load on first use
# (``from tracker.models import Resource`` still works).
_STUDY_NAMES = {
    "RESOURCE_KINDS", "Resource", "ResourceTopic", "Note", "NoteTopic", "NoteTopicChoice",
    "Confidence", "Attempt", "AttemptDomain", "Plan", "AddedCard", "CardState", "AnkiReview",
    "CARD_KINDS",
}


def __getattr__(name: str):
    if name in _STUDY_NAMES:
        from tracker import study_models

        return getattr(study_models, name)
    raise AttributeError(f"module 'tracker.models' has no attribute {name!r}")
