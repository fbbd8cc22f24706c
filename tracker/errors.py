"""The one family of errors a user can cause.

Every error raised for bad input, a missing thing or an unusable file is a
``TrackerError``; the CLI maps the family to one line on stderr and exit 1, the
TUI to a notification. Anything else is a bug and may show a traceback.
"""


class TrackerError(Exception):
    """Base of every error a user can cause; ``str()`` is the one-line message."""


class InvalidInput(TrackerError):
    """A date, duration, number, code or option the user typed cannot be used."""


class NotFound(TrackerError):
    """An exam, goal, entry or topic that does not exist."""


class Conflict(TrackerError):
    """The request contradicts what is stored (duplicate goal, overlapping entry...)."""


class CatalogError(TrackerError):
    """A catalog file is malformed; the message names the file and the field."""


class DatabaseError(TrackerError):
    """The database cannot be opened, is not ours, or is locked."""


class ImportFailed(TrackerError):
    """An import file is malformed; the message names the file and line."""
