"""A partial source never lowers or replaces a value stated by a more complete one.

GV100AD gives population and area for municipalities only; higher totals are summed by the
store from every stored municipality. Loading the two-county extract after a fuller directory
must keep the fuller totals, and re-loading it must change nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_api.config import SAMPLE_DIR
from graph_api.ingest import load, load_sample
from graph_api.store import Store
from tests.conftest import FULL_GV100AD

EXTRACT = SAMPLE_DIR / "gv100ad_pilot.ASC"
TOTALS = ("MATCH (t) WHERE t:State OR t:County OR t:Association "
          "RETURN t.id AS id, t.population AS population, t.area_ha AS area ORDER BY id")


def totals(store: Store, *ids: str) -> dict[str, tuple[int, float]]:
    rows = store.read("UNWIND $ids AS i MATCH (t:State {id: i}) RETURN t.id AS id, t.population AS p, "
                      "t.area_ha AS a", {"ids": list(ids)})
    return {r["id"]: (r["p"], r["a"]) for r in rows}


def municipality_sums(store: Store) -> dict[str, int]:
    """The oracle: population per state summed directly over the stored municipalities."""
    sums: dict[str, int] = {}
    for row in store.read("MATCH (m:Municipality) RETURN m.ags AS ags, m.population AS p"):
        key = f"State:{row['ags'][:2]}"
        sums[key] = sums.get(key, 0) + row["p"]
    return sums


def smaller_extract(tmp_path: Path) -> Path:
    """The extract without the municipalities 01053001-01053009 of Herzogtum Lauenburg: a partial source."""
    lines = EXTRACT.read_bytes().split(b"\r\n")
    kept = [line for line in lines if not (line.startswith(b"60") and line[10:18].startswith(b"0105300"))]
    assert len(kept) < len(lines)
    path = tmp_path / "partial.ASC"
    path.write_bytes(b"\r\n".join(kept))
    return path


def test_a_partial_file_after_a_fuller_one_keeps_the_fuller_totals(empty_store: Store, tmp_path: Path) -> None:
    load(empty_store, "gv100ad", [EXTRACT])
    fuller = totals(empty_store, "State:01", "State:13")
    assert fuller["State:01"][0] == 199_152 and fuller["State:13"][0] == 211_844  # LAYOUT.md, the extract
    summary = load(empty_store, "gv100ad", [smaller_extract(tmp_path)])
    assert not summary.changed
    assert totals(empty_store, "State:01", "State:13") == fuller


def test_a_fuller_file_after_a_partial_one_raises_the_totals(empty_store: Store, tmp_path: Path) -> None:
    load(empty_store, "gv100ad", [smaller_extract(tmp_path)])
    partial = totals(empty_store, "State:01")["State:01"][0]
    load(empty_store, "gv100ad", [EXTRACT])
    assert partial < totals(empty_store, "State:01")["State:01"][0] == 199_152
    assert {k: v[0] for k, v in totals(empty_store, "State:01", "State:13").items()} == municipality_sums(empty_store)


def test_county_and_association_totals_are_the_sums_of_their_municipalities(pilot_store: Store) -> None:
    for label, depth in (("County", "1..2"), ("Association", "1..1")):
        mismatched = pilot_store.read(
            f"MATCH (t:{label})<-[:PART_OF*{depth}]-(m:Municipality) WITH t, sum(m.population) AS p "
            "WHERE t.population <> p RETURN t.id AS id, t.population AS stored, p AS summed")
        assert mismatched == []


@pytest.mark.skipif(not FULL_GV100AD.exists(), reason="needs the full GV100AD file in ../shared")
def test_the_extract_or_the_demo_after_the_full_directory_changes_nothing(empty_store: Store) -> None:
    load(empty_store, "gv100ad", [FULL_GV100AD])
    full = totals(empty_store, "State:01", "State:13")
    assert full["State:01"][0] == 2_910_875 and full["State:13"][0] == 1_610_774
    assert not load(empty_store, "gv100ad", [EXTRACT]).changed
    load_sample(empty_store)  # what `serve --demo` loads
    assert totals(empty_store, "State:01", "State:13") == full
    germany = empty_store.read("MATCH (s:State) RETURN sum(s.population) AS p")[0]["p"]
    assert germany == 83_155_031  # LAYOUT.md: all Satzart-60 records
