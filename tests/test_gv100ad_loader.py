"""GV100AD loader: counts, keys, names, the parent chain, populations, idempotency and defects."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_api.config import SAMPLE_DIR
from graph_api.loaders import gv100ad
from graph_api.rows import LoadError
from graph_api.store import Store
from tests.conftest import FULL_GV100AD

EXTRACT = SAMPLE_DIR / "gv100ad_pilot.ASC"


def counts(store: Store) -> dict[str, int]:
    return {label: store.read(f"MATCH (n:{label}) RETURN count(n) AS c")[0]["c"]
            for label in ("State", "County", "Association", "Municipality")}


def test_extract_counts_per_level(empty_store: Store) -> None:
    empty_store.apply(gv100ad.read(EXTRACT))
    assert counts(empty_store) == {"State": 2, "County": 2, "Association": 35, "Municipality": 275}
    per_county = empty_store.read(
        "MATCH (m:Municipality) RETURN m.county_ags AS county, count(m) AS c ORDER BY county")
    assert per_county == [{"county": "01053", "c": 133}, {"county": "13076", "c": 142}]


def test_extract_keys_names_and_parent_chain(empty_store: Store) -> None:
    empty_store.apply(gv100ad.read(EXTRACT))
    parchim = empty_store.read("MATCH (m:Municipality {id: 'Municipality:13076108'}) RETURN m AS m")[0]["m"]
    assert parchim["name"] == "Parchim, Stadt"
    assert parchim["ags"] == "13076108" and parchim["ars"] == "130760108108"
    assert parchim["population"] == 17622 and parchim["area_ha"] == 12481.0
    assert parchim["postcode"] == "19370" and parchim["several_postcodes"] is True
    assert parchim["kind"] == "Stadt"
    chain = empty_store.read(
        "MATCH (:Municipality {id: 'Municipality:01053105'})-[:PART_OF]->(a:Association)-[:PART_OF]->(c:County)"
        "-[:PART_OF]->(s:State) RETURN a.id AS a, c.id AS c, c.seat AS seat, c.kind AS kind, s.name AS s")
    assert chain == [{"a": "Association:010539105", "c": "County:01053", "seat": "Ratzeburg", "kind": "Kreis",
                      "s": "Schleswig-Holstein"}]
    amt = empty_store.read("MATCH (a:Association {id: 'Association:010535358'}) RETURN a AS a")[0]["a"]
    assert (amt["name"], amt["kind"], amt["seat"]) == ("Lauenburgische Seen", "Amt", "Ratzeburg")
    lup = empty_store.read("MATCH (c:County {id: 'County:13076'}) RETURN c.population AS p, c.area_ha AS a")[0]
    assert lup == {"p": 211844, "a": 476676.0}


def test_reload_changes_nothing(empty_store: Store) -> None:
    first = empty_store.apply(gv100ad.read(EXTRACT))
    assert first.created["Municipality"] == 275
    second = empty_store.apply(gv100ad.read(EXTRACT))
    assert not second.changed
    assert second.unchanged["Municipality"] == 275 and second.unchanged["PART_OF"] == 312


@pytest.mark.skipif(not FULL_GV100AD.exists(), reason="full GV100AD file not found in ../shared/data")
def test_full_germany_counts(empty_store: Store) -> None:
    empty_store.apply(gv100ad.read(FULL_GV100AD))
    assert counts(empty_store) == {"State": 16, "County": 400, "Association": 4606, "Municipality": 10997}
    total = empty_store.read("MATCH (m:Municipality) RETURN sum(m.population) AS p")[0]["p"]
    assert total == 83_155_031
    karlsruhe = empty_store.read("MATCH (m:Municipality {id: 'Municipality:08212000'}) RETURN m.population AS p")
    assert karlsruhe == [{"p": 308436}]


def _write(tmp_path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / "bad.ASC"
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def _extract_lines() -> list[str]:
    return EXTRACT.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda ls: ls[:5] + [ls[5][:150]] + ls[6:], ":6: record: has 150 characters, expected 220"),
    (lambda ls: ls[:3] + ["99" + ls[3][2:]] + ls[4:], ":4: Satzart: '99' is not a GV100AD record type"),
    (lambda ls: ls[:7] + [ls[7][:122] + "77" + ls[7][124:]] + ls[8:], ":8: Textkennzeichen: Textkennzeichen '77'"),
    (lambda ls: ls + [ls[-1]], ":315: AGS: Municipality:13076169 appears twice (first on line 314)"),
    (lambda ls: ls[:-1] + [ls[-1][:139] + "00000000x00" + ls[-1][150:]], ":314: Bevölkerung: '00000000x00'"),
])
def test_defects_are_reported_with_line_and_field(tmp_path: Path, mutate, expected: str) -> None:
    path = _write(tmp_path, mutate(_extract_lines()))
    with pytest.raises(LoadError) as caught:
        gv100ad.read(path)
    assert any(expected in str(p) for p in caught.value.problems), str(caught.value)
    assert all(str(path) in str(p) for p in caught.value.problems)


def test_latin1_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, _extract_lines(), encoding="latin-1")
    with pytest.raises(LoadError) as caught:
        gv100ad.read(path)
    first = caught.value.problems[0]
    assert first.field == "encoding" and "not UTF-8" in first.message and first.line is not None


def test_bad_file_writes_nothing(empty_store: Store, tmp_path: Path) -> None:
    empty_store.apply(gv100ad.read(EXTRACT))
    before = counts(empty_store)
    lines = _extract_lines()
    path = _write(tmp_path, lines[:-1] + [lines[-1][:100]])
    with pytest.raises(LoadError):
        empty_store.apply(gv100ad.read(path))
    assert counts(empty_store) == before


def test_every_territory_names_its_source(empty_store: Store) -> None:
    empty_store.apply(gv100ad.read(EXTRACT))
    unsourced = empty_store.read(
        "MATCH (n:Municipality) WHERE NOT EXISTS { MATCH (n)-[:SOURCED_FROM]->(:Source) } RETURN count(n) AS c")
    assert unsourced == [{"c": 0}]
    source = empty_store.read(f"MATCH (s:Source {{id: '{gv100ad.SOURCE_ID}'}}) RETURN s.publisher AS p")
    assert source == [{"p": "Statistisches Bundesamt (Destatis)"}]


def test_sample_loads_are_idempotent_together(fresh_pilot_store: Store) -> None:
    from graph_api.ingest import load_sample

    assert not load_sample(fresh_pilot_store).changed
