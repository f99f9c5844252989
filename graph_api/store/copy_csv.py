"""The CSV text LadybugDB's `COPY FROM` reads, written column by column instead of value by value.

`csv.writer` over one Python list per row cost a fifth of a Germany-scale load (1.6 million
relationship rows: a list built and a field converted per value). Almost every value of a bulk
load is a plain string, `None` or a number that needs no quoting, so each column is taken out of
the rows in one C-level pass, `None` becomes the empty field, and the lines are joined in C
(measured on the 1,000,000 KNOWS rows: 4.4 s of CPU with `csv.writer`, 1.2 s this way).
Whether any value needed quoting is checked on the finished text (quotes, line breaks and more
delimiters than fields make); then the rows are written by `csv.writer` after all, so the file
is always what `csv.writer` would write, apart from its CR LF line ends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from operator import itemgetter, methodcaller
from typing import Any

_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})  # written by csv.writer as str(value) ('' for None)
_NONE_AS_EMPTY = {None: ""}


def column_getter(name: str, *, required: bool) -> Callable[[dict[str, Any]], Any]:
    """Reads one column of a row: `row[name]` (KeyError if absent) or `row.get(name)`."""
    return itemgetter(name) if required else methodcaller("get", name)


def csv_text(header: Sequence[str], rows: Sequence[dict[str, Any]],
             getters: Sequence[Callable[[dict[str, Any]], Any]]) -> tuple[str, bool]:
    """The CSV text of `rows` (one column per getter, `header` first) and whether a value spans lines
    (then LadybugDB must read the file with its serial CSV reader)."""
    columns = [list(map(getter, rows)) for getter in getters]
    text = _joined(header, columns, len(rows))
    if text is not None:
        return text, False
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(zip(*columns, strict=True))
    text = buffer.getvalue()
    records = len(rows) + 1  # csv ends every record with CR LF: a line break inside a value shows up as more
    return text, text.count("\n") != records or text.count("\r") != records


def _joined(header: Sequence[str], columns: list[list[Any]], count: int) -> str | None:
    """The text with plain joins, or None when some value needs csv's quoting (or is not a plain type)."""
    plain = []
    for column in columns:
        types = set(map(type, column))
        if not types <= _PLAIN_TYPES:
            return None
        if type(None) in types:
            column = list(map(_NONE_AS_EMPTY.get, column, column))
        if types - {str, type(None)}:
            column = list(map(str, column))  # what csv.writer writes for numbers and booleans
        plain.append(column)
    lines = [",".join(header), *map(",".join, zip(*plain, strict=True))]
    text = "\n".join(lines) + "\n"
    fields = len(header)
    if ('"' in text or "\r" in text or text.count("\n") != count + 1
            or text.count(",") != (count + 1) * (fields - 1)):
        return None
    return text
