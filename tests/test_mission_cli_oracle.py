"""`copgraph query` answers the mission questions as the networkx oracle does (the third door).

GraphQL is compared with the oracle in test_mission_oracle.py and `POST /queries` with GraphQL in
test_mission_named_queries.py; here the analysts' command line, run as a user runs it (its own
process-level entry point, JSON output, the database file closed by the server), must give the
oracle's rows on the pilot data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_api.cli import main
from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.store import open_store
from tests import mission_oracle as oracle


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "pilot.lbdb")
    store = open_store(Settings(store="ladybug", db_path=path))
    load_sample(store)
    store.close()  # the command line opens the file itself
    return path


def _query(database: str, capsys: pytest.CaptureFixture, name: str, **params: object) -> list[dict]:
    args = ["--db", database, "query", name, "--format", "json", "--max-rows", "10000"]
    for key, value in params.items():
        args += ["-p", f"{key}={value}"]
    capsys.readouterr()
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)["rows"]


def test_the_command_line_agrees_with_the_oracle(database: str, capsys: pytest.CaptureFixture) -> None:
    county_ids = ["County:01053", "County:13076"]
    answers = {}
    for county in county_ids:
        answers[county] = {
            "reach": _query(database, capsys, "county_reach", county=county, max_hops=8),
            "keys": _query(database, capsys, "key_persons", county=county, max_hops=8),
            "bridges": _query(database, capsys, "county_municipality_bridges", county=county, max_hops=8,
                              limit=1000),
            "gaps": _query(database, capsys, "coverage_gaps", county=county, category="Concept:topic-digitalisierung"),
        }
    solutions = ["Solution:klimawerkstatt", "Solution:digitale-lokale-agenda", "Solution:chatbot-buergerservice"]
    lineages = {s: _query(database, capsys, "transfer_lineage", solution=s) for s in solutions}

    store = open_store(Settings(store="ladybug", db_path=database))
    try:
        raw = oracle.raw_rows(store)
    finally:
        store.close()
    assert sorted(n for n, d in raw.nodes.items() if d["_label"] == "County") == county_ids
    for county, got in answers.items():
        expected = oracle.county(raw, county, 8)
        assert {r["municipality_id"]: (r["hops"], r["paths"]) for r in got["reach"] if r["hops"] is not None} == \
            expected.reached
        assert {r["municipality_id"]: r["reason"] for r in got["reach"] if r["hops"] is None} == expected.unreached
        assert [(r["municipality_id"], r["person_id"], r["hops"], r["paths"]) for r in got["keys"]] == \
            expected.key_persons
        assert [(r["bridge_id"], r["score"], r["municipalities"]) for r in got["bridges"]] == [
            (n, round(s, 4), len(ms)) for n, s, ms in expected.bridges]
        assert [r["municipality_id"] for r in got["gaps"]] == oracle.coverage_gaps(
            raw, county, "Concept:topic-digitalisierung")
        assert expected.reached and got["keys"]
    for solution, rows in lineages.items():
        assert [(r["adoption_id"], r["generation"]) for r in rows] == oracle.lineage(raw, solution)
    assert Path(database).exists()
