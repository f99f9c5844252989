"""The load's speed shortcuts give what their plain definitions give, for any input.

Each shortcut is checked against an oracle written from its definition, not against its own
output: the COPY text is read back with Python's csv reader, folding is compared with Unicode
decomposition character by character, joined hyphenations with the plain regular expression,
and de-duplication with a dict-merging loop. Hypothesis generates the hostile values (quotes,
delimiters, line breaks, accents from every script, empty strings, numbers).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_api.config import Settings
from graph_api.rows import GraphRows
from graph_api.store import base, open_store
from graph_api.store.copy_csv import column_getter, csv_text
from graph_api.store.ladybug_store import COPY_THRESHOLD
from graph_api.store.search_index import fold, with_joined

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_HOSTILE = st.sampled_from(["", ",", '"', "\n", "\r\n", "a,b", 'say "hi"', " x ", "None", "\\", "1.5"])
_VALUE = st.one_of(st.none(), _TEXT, _HOSTILE, st.integers(-10**12, 10**12), st.booleans(),
                   st.floats(allow_nan=False))


def _as_csv_field(value: Any) -> str:
    return "" if value is None else str(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({"from": _TEXT, "to": _TEXT}, optional={"a": _VALUE, "b": _VALUE}),
                max_size=20))
def test_copy_text_reads_back_as_the_rows(rows: list[dict[str, Any]]) -> None:
    getters = [column_getter("from", required=True), column_getter("to", required=True),
               column_getter("a", required=False), column_getter("b", required=False)]
    text, multiline = csv_text(["from", "to", "a", "b"], rows, getters)
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == ["from", "to", "a", "b"]
    assert read[1:] == [[_as_csv_field(row.get(c)) for c in ("from", "to", "a", "b")] for row in rows]
    spans_lines = any("\n" in v or "\r" in v for row in rows for v in map(_as_csv_field, row.values()))
    assert multiline == spans_lines


def test_copy_text_names_a_missing_key() -> None:
    try:
        csv_text(["from", "to"], [{"from": "a"}], [column_getter("from", required=True),
                                                    column_getter("to", required=True)])
    except KeyError as exc:
        assert exc.args == ("to",)
    else:
        raise AssertionError("a row without its end was written")


def _fold_by_definition(text: str) -> str:
    text = text.lower().replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"(?<!q)ue", "u", text.replace("ae", "a").replace("oe", "o"))


_LATINISH = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FF), max_size=30)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_LATINISH, _TEXT, st.sampled_from(["Müller-Lüdenscheidt", "Straße", "Ǆemal", "ﬁnance", "Ⅻ",
                                                    "Ångström", "İstanbul", "ΣΑΣ", "Œuvre", "Queue"])))
def test_fold_equals_decomposing_every_text(text: str) -> None:
    assert fold(text) == _fold_by_definition(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab9-  ", max_size=40))
def test_joined_hyphenations_equal_the_plain_pattern(text: str) -> None:
    joined = [m.group(0).replace("-", "") for m in re.finditer(r"[0-9a-z]+(?:-[0-9a-z]+)+", text)]
    assert with_joined(text) == " ".join([text, *joined])


def _dedupe_by_definition(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(None if row[f] == "" else row[f] for f in fields)
        merged.setdefault(key, {}).update({k: v for k, v in row.items() if v not in (None, "")})
        merged[key].update(zip(fields, key, strict=True))
    return [{k: v for k, v in row.items() if v is not None} for row in merged.values()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({"from": st.sampled_from(["a", "b", ""]), "to": st.sampled_from(["c", "d"])},
                                      optional={"x": st.sampled_from([None, "", "1", "2"]),
                                                "y": st.sampled_from([None, "", 3])}), max_size=12))
def test_dedupe_equals_merging_by_definition(rows: list[dict[str, Any]]) -> None:
    before = [dict(r) for r in rows]
    merged = base._dedupe_rels(rows)
    assert [dict(r) for r in rows] == before  # the caller's rows are never changed
    clean = [{k: v for k, v in r.items() if v is not None} for r in merged]
    assert clean == _dedupe_by_definition(rows, ("from", "to"))


@pytest.mark.parametrize("odd", [
    ['a,b', 'say "hi"', "two\nlines", "cr\r\nlf", "", " padded ", "back\\slash", "Müller"],  # csv's quoting
    ["plain", "", " padded ", "back\\slash", "Müller-Lüdenscheidt", "Œuvre 1.5"],  # joined without quoting
])
def test_bulk_copy_keeps_hostile_text_exactly(tmp_path: Path, odd: list[str]) -> None:
    """Quotes, delimiters and line breaks in a batch large enough for COPY arrive as they were given."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path / "h.lbdb")))
    rows = GraphRows()
    for i in range(COPY_THRESHOLD + 10):
        rows.add_node("Concept", {"id": f"Concept:c{i}", "label": odd[i % len(odd)] + str(i), "scheme": "s"})
    for i in range(COPY_THRESHOLD + 9):
        rows.add_rel("BROADER", f"Concept:c{i}", f"Concept:c{i + 1}", source=odd[i % len(odd)] or None)
    try:
        store.apply(rows)
        labels = {r["id"]: r["label"] for r in store.read("MATCH (n:Concept) RETURN n.id AS id, n.label AS label")}
        sources = {r["f"]: r["s"] for r in store.read(
            "MATCH (a:Concept)-[r:BROADER]->(b:Concept) RETURN a.id AS f, r.source AS s")}
    finally:
        store.close()
    assert labels == {f"Concept:c{i}": odd[i % len(odd)] + str(i) for i in range(COPY_THRESHOLD + 10)}
    assert sources == {f"Concept:c{i}": odd[i % len(odd)] or None for i in range(COPY_THRESHOLD + 9)}
