"""Bulk work: many rows inserted in few statements, and no cyclic garbage collection
meanwhile. An import of 100,000 rows or an export of 10,000 cards uses both.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from itertools import chain

MAX_PARAMETERS = {"sqlite": 999}  # a statement's bind parameters (SQLite before 3.32: 999)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The collector off for the block, then back as it was.

    A bulk step allocates hundreds of thousands of objects that live to its end;
    every gen-2 collection meanwhile walks them all again, for nothing (such
    steps make no reference cycles worth collecting early).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def insert_rows(session, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT rows of plain values (ints, strings, None), many rows a statement.

    Multi-row ``VALUES`` statements go straight to the driver in one executemany:
    measured on 100,000 entries, that is half the time of a Core
    ``insert(table)`` executemany on SQLite (no per-row parameter processing,
    fewer statements) and far fewer round trips on PostgreSQL.
    """
    conn = session.connection()
    dialect = conn.dialect
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if mark is None:  # a driver we do not know: the plain Core way
        from sqlalchemy import insert

        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) VALUES "
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    per = max(1, MAX_PARAMETERS.get(dialect.name, 5000) // len(columns))
    whole = len(rows) - len(rows) % per
    if whole:
        conn.exec_driver_sql(head + ", ".join([one] * per),
                             [tuple(chain.from_iterable(rows[i:i + per])) for i in range(0, whole, per)])
    if whole < len(rows):
        rest = rows[whole:]
        conn.exec_driver_sql(head + ", ".join([one] * len(rest)), tuple(chain.from_iterable(rest)))
