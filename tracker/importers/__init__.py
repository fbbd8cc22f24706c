"""Importers: study history from Toggl (CSV), Watson (frames) and Timewarrior (JSON).

Each format module only parses and validates a file into :class:`ParsedFile`
(no database, no SQLModel); :func:`tracker.importers.common.import_entries`
then maps the entries to goals and topics, drops what is already stored and
inserts the rest in the caller's one transaction. A bad row stops the import
before anything is written.
"""
