"""Fast bulk loading: COPY on PostgreSQL, executemany on SQLite.

``bulk_create`` builds a model instance per row and sends multi-row INSERTs (30k rows/s on PostgreSQL, see
MEASURED.md); COPY loads several hundred thousand rows a second. Rows are plain tuples of Python values in
the order of ``fields``; primary keys are given by the caller (``next_ids``) so related rows can be written
without reading keys back, and sequences are reset afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of a model's table."""
    latest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (latest or 0) + 1


@lru_cache(maxsize=100_000)
def _sqlite_datetime(value: dt.datetime) -> str | None:
    return connection.ops.adapt_datetimefield_value(value)


def _sqlite_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return _sqlite_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column, f"{name} is not a concrete column"
        columns.append(field.column)
    return columns


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert rows into the model's table inside the caller's transaction; returns the count."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, fields))
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            json_positions = [
                i for i, name in enumerate(fields) if isinstance(model._meta.get_field(name), models.JSONField)
            ]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    if json_positions:
                        row = list(row)
                        for i in json_positions:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                    copy.write_row(row)
                    count += 1
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            batch: list[list[Any]] = []
            for row in rows:
                batch.append([_sqlite_value(v) for v in row])
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def reset_sequences(*models_: type[models.Model]) -> None:
    """After explicit primary keys, move PostgreSQL sequences past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
