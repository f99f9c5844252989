"""Curated loader: precise errors (file, line, field), every problem at once, nothing written on error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_api.config import SAMPLE_DIR
from graph_api.ingest import existing_ids_in, load
from graph_api.loaders import curated, gv100ad
from graph_api.rows import LoadError
from graph_api.store import Store

CURATED = SAMPLE_DIR / "curated"

SOURCES = """\
- id: s1
  title: A source
  kind: report
"""
SOLUTIONS = """\
- id: chatbot
  name: Chatbot
  sources: [Source:s1]
"""


def folder(tmp_path: Path, **files: str) -> Path:
    target = tmp_path / "curated"
    target.mkdir()
    for name, text in {"sources": SOURCES, "solutions": SOLUTIONS, **files}.items():
        (target / f"{name}.yaml").write_text(text, encoding="utf-8")
    return target


def problems(path: Path, existing=None) -> list[str]:
    with pytest.raises(LoadError) as caught:
        curated.read(path, existing_ids=existing)
    return [str(p) for p in caught.value.problems]


def test_bundled_sample_is_valid() -> None:
    rows = curated.read(CURATED)
    assert rows.counts()["Solution"] >= 5


def test_missing_field(tmp_path: Path) -> None:
    path = folder(tmp_path, solutions="- id: chatbot\n  summary: no name\n")
    assert problems(path) == [f"{path / 'solutions.yaml'}:1: name: is required but missing"]


def test_unknown_reference_suggests_the_nearest_id(tmp_path: Path) -> None:
    path = folder(tmp_path, adoptions=(
        "- id: a1\n  solution: Solution:chatbott\n  adopter: Municipality:13076060\n  status: ADOPTED\n"))
    assert problems(path) == [
        f"{path / 'adoptions.yaml'}:2: solution: unknown Solution 'Solution:chatbott' "
        "(did you mean 'Solution:chatbot'?)"]


def test_duplicate_id_and_bad_date_are_reported_together(tmp_path: Path) -> None:
    path = folder(tmp_path, solutions=SOLUTIONS + "- id: chatbot\n  name: Again\n", projects=(
        "- id: p1\n  name: P\n  kind: cohort\n  started_on: 2024-13-01\n"))
    found = problems(path)
    assert f"{path / 'projects.yaml'}:4: started_on: '2024-13-01' is not a date; expected YYYY-MM-DD" in found
    assert any(":4: id: duplicate id 'chatbot' (first at" in p for p in found)


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path = folder(tmp_path, solutions="- id: chatbot\n  name: A\n  name: B\n")
    assert problems(path) == [f"{path / 'solutions.yaml'}:3: name: duplicate key 'name' (first on line 2)"]


def test_wrong_type_and_unknown_field_and_enum(tmp_path: Path) -> None:
    path = folder(tmp_path, organizations="- id: o1\n  name: [not, a, string]\n  kind: BAKERY\n  colour: red\n")
    found = problems(path)
    assert any(":2: name: a list of 3 items is not text" in p for p in found)
    assert any(":3: kind: 'BAKERY' is not allowed; expected" in p for p in found)
    assert any(":4: colour: is not a known field of this record" in p for p in found)


def test_cycle_in_broader(tmp_path: Path) -> None:
    path = folder(tmp_path, concepts=(
        "- {id: a, label: A, scheme: topics, broader: Concept:b}\n"
        "- {id: b, label: B, scheme: topics, broader: Concept:a}\n"))
    assert problems(path) == [f"{path / 'concepts.yaml'}:1: broader: forms a cycle: Concept:a -> Concept:b -> "
                              "Concept:a"]


def test_reference_of_the_wrong_type(tmp_path: Path) -> None:
    path = folder(tmp_path, adoptions=(
        "- id: a1\n  solution: Source:s1\n  adopter: Municipality:13076060\n  status: ADOPTED\n"))
    assert problems(path) == [f"{path / 'adoptions.yaml'}:2: solution: 'Source:s1' is a Source; expected Solution"]


def test_unknown_territory_against_the_store(tmp_path: Path, empty_store: Store) -> None:
    path = folder(tmp_path, adoptions=(
        "- id: a1\n  solution: Solution:chatbot\n  adopter: Municipality:99999999\n  status: ADOPTED\n"))
    assert problems(path, existing_ids_in(empty_store)) == [
        f"{path / 'adoptions.yaml'}:3: adopter: unknown territory 'Municipality:99999999' "
        "(not in the store: load the GV100AD directory first)"]


def test_bad_input_leaves_the_store_unchanged(tmp_path: Path, empty_store: Store) -> None:
    empty_store.apply(gv100ad.read(SAMPLE_DIR / "gv100ad_pilot.ASC"))
    load(empty_store, "curated", [CURATED])
    before = (empty_store.node_label_counts(), empty_store.rel_type_counts())
    broken = tmp_path / "broken"
    shutil.copytree(CURATED, broken)
    with (broken / "adoptions.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n- id: new-one\n  solution: Solution:nope\n  adopter: Municipality:13076060\n"
                     "  status: ADOPTED\n")
    with pytest.raises(LoadError):
        load(empty_store, "curated", [broken])
    assert (empty_store.node_label_counts(), empty_store.rel_type_counts()) == before


def test_curated_reload_is_idempotent(fresh_pilot_store: Store) -> None:
    assert not load(fresh_pilot_store, "curated", [CURATED]).changed


def test_committed_json_schema_is_current() -> None:
    import json

    from graph_api.loaders.curated_schema import JSON_SCHEMA_PATH, json_schema

    assert json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8")) == json_schema(), (
        "docs/curated.schema.json is stale: run `python -m graph_api.loaders.curated_schema --write`")
