"""Importers: history from other tools, parsed and validated before anything is written.

For study time (``toggl``, ``watson``, ``timewarrior``) each format module only
parses and validates a file into a :class:`~tracker.importers.common.ParsedFile`
(no database, no SQLModel); :func:`tracker.importers.common.import_entries` then
maps the entries to goals and topics, drops what is already stored and inserts
the rest in the caller's one transaction. A bad row stops the import before
anything is written.
"""
