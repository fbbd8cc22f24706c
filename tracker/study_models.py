"""Tables for study material and results: resources, notes, confidence,
practice attempts, plans, cards and Anki review results.

Kept apart from tracker.models so the timer commands (start, stop, status)
do not pay for building these tables; ``tracker.models`` hands them out on
first use.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models import UtcTimestamp, _fk

# --- coverage, practice and plans (migration 0002) ---------------------------

RESOURCE_KINDS = ("course", "video", "whitepaper", "faq", "lab", "practice-test", "book",
                  "article", "other")


class Resource(SQLModel, table=True):
    """Something studied from; progress is units done out of units total."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=_fk("learner.id"))
    goal_id: int = Field(sa_column=_fk("goal.id"))
    title: str = Field(sa_column=Column(String(300), nullable=False))
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    url: str | None = Field(default=None, sa_column=Column(String(1000)))
    units_total: int | None = None
    units_done: int = 0
    unit_name: str | None = Field(default=None, sa_column=Column(String(40)))
    done_at: datetime | None = Field(default=None, sa_column=Column(UtcTimestamp))
    created_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))


class ResourceTopic(SQLModel, table=True):
    __tablename__ = "resource_topic"

    resource_id: int = Field(sa_column=Column(
        Integer, ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True))
    topic: str = Field(sa_column=Column(String(200), primary_key=True))


class Note(SQLModel, table=True):
    """One heading's section of the learner's markdown notes.

    ``source`` + ``anchor`` (the heading path) identify a section across
    re-imports, so a changed file updates its notes instead of duplicating them.
    """

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=_fk("learner.id"))
    goal_id: int = Field(sa_column=_fk("goal.id"))
    source: str = Field(sa_column=Column(String(1000), nullable=False))
    anchor: str = Field(sa_column=Column(String(1000), nullable=False))
    heading: str = Field(sa_column=Column(String(500), nullable=False))
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    position: int = 0
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))

    __table_args__ = (UniqueConstraint("goal_id", "source", "anchor", name="uq_note_anchor"),)


class NoteTopic(SQLModel, table=True):
    __tablename__ = "note_topic"

    note_id: int = Field(sa_column=Column(
        Integer, ForeignKey("note.id", ondelete="CASCADE"), primary_key=True))
    topic: str = Field(sa_column=Column(String(200), primary_key=True))
    weight: float = 1.0


class NoteTopicChoice(SQLModel, table=True):
    """The learner linked (``linked``) or unlinked a note and a topic by hand (migration 0004).

    ``note_topic`` stays the effective set of links; an import applies these
    choices on top of its own rule, so they survive re-imports.
    """

    __tablename__ = "note_topic_choice"

    note_id: int = Field(sa_column=Column(
        Integer, ForeignKey("note.id", ondelete="CASCADE"), primary_key=True))
    topic: str = Field(sa_column=Column(String(200), primary_key=True))
    linked: bool = Field(sa_column=Column(Boolean, nullable=False))


class Confidence(SQLModel, table=True):
    """A dated self-rating of a topic, 1-5; every rating is kept."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=_fk("learner.id"))
    goal_id: int = Field(sa_column=_fk("goal.id"))
    topic: str = Field(sa_column=Column(String(200), nullable=False))
    rating: int
    rated_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))


class Attempt(SQLModel, table=True):
    """One practice exam: its overall score as a percentage, and per-domain scores."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=_fk("learner.id"))
    goal_id: int = Field(sa_column=_fk("goal.id"))
    taken_on: date
    score_pct: float
    raw_score: float | None = None
    raw_max: float | None = None
    full: bool = True
    label: str | None = Field(default=None, sa_column=Column(String(200)))
    created_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))


class AttemptDomain(SQLModel, table=True):
    __tablename__ = "attempt_domain"

    attempt_id: int = Field(sa_column=Column(
        Integer, ForeignKey("attempt.id", ondelete="CASCADE"), primary_key=True))
    domain: str = Field(sa_column=Column(String(200), primary_key=True))
    score_pct: float


class Plan(SQLModel, table=True):
    """A recurring study schedule for one goal, kept as an RRULE."""

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(sa_column=Column(
        Integer, ForeignKey("goal.id", ondelete="CASCADE"), nullable=False, unique=True))
    text: str = Field(sa_column=Column(String(500), nullable=False))
    rrule: str = Field(sa_column=Column(String(500), nullable=False))
    minutes: int
    created_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))


# --- cards and Anki (migration 0003) -----------------------------------------

CARD_KINDS = ("basic", "cloze")


class AddedCard(SQLModel, table=True):
    """A card added with ``certjourney card add`` (cards in files are not stored).

    ``card_key`` is the card's identity (its GUID derives from it): the exam, topic
    and question, or the identity of the shipped card it overrides.
    """

    __tablename__ = "card"

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=_fk("learner.id"))
    exam_code: str = Field(sa_column=Column(String(40), nullable=False))
    topic: str = Field(sa_column=Column(String(200), nullable=False))
    kind: str = Field(default="basic", sa_column=Column(String(10), nullable=False))
    front: str = Field(sa_column=Column(Text, nullable=False))
    back: str = Field(default="", sa_column=Column(Text, nullable=False))
    card_key: str = Field(sa_column=Column(Text, nullable=False))
    guid: str = Field(sa_column=Column(String(20), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))

    __table_args__ = (UniqueConstraint("learner_id", "guid", name="uq_card_guid"),)


class CardState(SQLModel, table=True):
    """What a learner's last export held for one card (by GUID), and since when.

    ``changed_at`` becomes each Anki note's modification time: Anki updates a note
    it has only when the imported one is newer, so it moves on (to now, and at
    least one second) whenever the exported note changes. ``content_hash`` keys
    the rendered fields kept here, so an unchanged card is not rendered again.
    """

    __tablename__ = "card_state"

    learner_id: int = Field(sa_column=Column(
        Integer, ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True))
    guid: str = Field(sa_column=Column(String(20), primary_key=True))
    exam_code: str = Field(sa_column=Column(String(40), nullable=False))
    topic: str = Field(sa_column=Column(String(200), nullable=False))
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    note_hash: str = Field(sa_column=Column(String(64), nullable=False))
    changed_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))
    fields_html: str = Field(default="", sa_column=Column(Text, nullable=False))
    media: str = Field(default="", sa_column=Column(Text, nullable=False))


class AnkiReview(SQLModel, table=True):
    """Review results imported from Anki for one topic of one goal."""

    __tablename__ = "anki_review"

    goal_id: int = Field(sa_column=Column(
        Integer, ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True))
    topic: str = Field(sa_column=Column(String(200), primary_key=True))
    learner_id: int = Field(sa_column=_fk("learner.id"))
    cards: int = 0
    answers: int = 0          # the recent answers counted (at most 20)
    again: int = 0            # "Again" among them
    reviews: int = 0          # every answer Anki recorded
    lapses: int = 0
    mean_ease: float | None = None      # percent (Anki shows 250%)
    imported_at: datetime = Field(sa_column=Column(UtcTimestamp, nullable=False))
