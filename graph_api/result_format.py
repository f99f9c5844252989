"""Query results as a readable table, JSON or CSV, for the `query` and `cypher` commands.

Cells are flattened the same way in table and CSV (lists joined, missing values empty), so what
an analyst sees on screen is what lands in the spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

from graph_api.store import ReadResult

FORMATS = ("table", "json", "csv")
MAX_CELL = 120


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def as_table(result: ReadResult) -> str:
    rows = [[_short(_cell(row.get(c))) for c in result.columns] for row in result.rows]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(result.columns)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip(), line]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'}{', truncated' if result.truncated else ''})")
    return "\n".join(out)


def as_json(result: ReadResult) -> str:
    return json.dumps({"columns": result.columns, "rows": result.rows, "truncated": result.truncated},
                      ensure_ascii=False, indent=2)


def as_csv(result: ReadResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([_cell(row.get(c)) for c in result.columns] for row in result.rows)
    return buffer.getvalue().removesuffix("\n")


def render(result: ReadResult, fmt: str) -> str:
    return {"table": as_table, "json": as_json, "csv": as_csv}[fmt](result)


def emit(result: ReadResult, fmt: str, max_rows: int) -> None:
    """Print a result for the CLI; say on stderr when the row limit cut it."""
    print(render(result, fmt))
    if result.truncated:
        print(f"note: the result was cut at {max_rows} rows (raise --max-rows)", file=sys.stderr)
