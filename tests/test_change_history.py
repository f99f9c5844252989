"""Change history: every mutation and load is recorded in the store with who, when, which ids and
the before/after of changed properties; `changes(since, id)` and `copgraph history ID` show it.
Tokens have names (`COPGRAPH_API_TOKENS`), and the name is the `who` of a mutation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from graph_api.cli import main
from graph_api.config import SAMPLE_DIR, Settings
from graph_api.ingest import load
from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient

CHANGES = """query($id: ID, $since: String) { changes(id: $id, since: $since) {
    at who what node action properties { name before after } } }"""
ADOPTION = {"id": "boizenburg-digitale-lokale-agenda", "solution": "Solution:digitale-lokale-agenda",
            "adopter": "Municipality:13076014", "status": "PLANNED"}
UPSERT = "mutation($input: AdoptionInput!) { upsertAdoption(input: $input) { id } }"


def test_named_tokens_from_the_environment_and_the_single_token_still_works() -> None:
    settings = Settings(api_tokens="lotse-anna=secret-anna-0123456789, redaktion=secret-red-0123456789",
                        api_token="single-0123456789")
    assert settings.tokens() == {"lotse-anna": "secret-anna-0123456789", "redaktion": "secret-red-0123456789",
                                 "api-token": "single-0123456789"}
    for bad in ("no-equals-sign", "=secret-without-name", "name=", "a=same-secret-0123,b=same-secret-0123",
                "a=one-secret-01234,a=two-secret-01234"):
        with pytest.raises(ValidationError):
            Settings(api_tokens=bad)


def test_a_mutation_is_recorded_with_the_token_name_and_the_changed_properties(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store, api_tokens=f"lotse-anna={TOKEN}x")
    api.data(UPSERT, {"input": {**ADOPTION, "endedOn": "2025-05-01", "outcome": "Abgebrochen"}}, token=TOKEN + "x")
    api.data(UPSERT, {"input": {**ADOPTION, "outcome": None}}, token=TOKEN)
    found = api.data(CHANGES, {"id": "Adoption:boizenburg-digitale-lokale-agenda"}, token=TOKEN)["changes"]
    mutations = [c for c in found if c["what"] == "upsertAdoption"]
    assert [c["who"] for c in mutations] == ["lotse-anna", "api-token"]
    first = {p["name"]: (p["before"], p["after"]) for p in mutations[0]["properties"]}
    assert first["ended_on"] == (None, '"2025-05-01"')
    assert first["outcome"] == ('"Bestandsaufnahme (Phase 1) beauftragt."', '"Abgebrochen"')
    second = {p["name"]: (p["before"], p["after"]) for p in mutations[1]["properties"]}
    assert second["outcome"] == ('"Abgebrochen"', None)
    assert all(c["node"] == "Adoption:boizenburg-digitale-lokale-agenda" for c in found)
    later = api.data(CHANGES, {"since": mutations[1]["at"]}, token=TOKEN)["changes"]
    assert mutations[1] in later and mutations[0]["at"] <= mutations[1]["at"]
    api.data('mutation { deleteNode(id: "Adoption:boizenburg-digitale-lokale-agenda") }', token=TOKEN + "x")
    deleted = api.data(CHANGES, {"id": "Adoption:boizenburg-digitale-lokale-agenda"}, token=TOKEN)["changes"][-1]
    assert (deleted["who"], deleted["what"], deleted["action"]) == ("lotse-anna", "deleteNode", "deleted")
    assert {p["name"]: p["after"] for p in deleted["properties"]}["status"] is None


def test_a_refused_write_records_nothing_and_anonymous_callers_see_no_history(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    before = api.data(CHANGES, {}, token=TOKEN)["changes"]
    api.errors(UPSERT, {"input": {**ADOPTION, "learnedFrom": ["Adoption:boizenburg-digitale-lokale-agenda"]}},
               token=TOKEN)
    assert api.data(CHANGES, {}, token=TOKEN)["changes"] == before
    assert "needs a valid API token" in api.errors(CHANGES, {})[0]


def test_a_load_is_recorded_and_copgraph_history_shows_it(fresh_pilot_store: Store, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "adoptions.yaml").write_text(yaml.safe_dump([{**ADOPTION, "status": "PILOT"}]), encoding="utf-8")
    load(fresh_pilot_store, "curated", [folder])
    rows = fresh_pilot_store.history("Adoption:boizenburg-digitale-lokale-agenda")
    assert rows[-1].what.startswith("load curated") and rows[-1].action == "updated"
    assert rows[-1].properties["status"] == ("PLANNED", "PILOT")
    sample_load = fresh_pilot_store.history("Municipality:13076060")
    assert sample_load and sample_load[0].action == "created" and sample_load[0].what.startswith("load gv100ad")


def test_copgraph_history_prints_the_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.lbdb")
    assert main(["--db", db, "load", "gv100ad", str(SAMPLE_DIR / "gv100ad_pilot.ASC")]) == 0
    capsys.readouterr()
    assert main(["--db", db, "history", "State:01"]) == 0
    out = capsys.readouterr().out
    assert "State:01" in out and "created" in out and "load gv100ad" in out


def test_hostile_filters_of_the_history_are_values_not_query_text(pilot_store: Store) -> None:
    api = GraphQLClient(pilot_store)
    for payload in ("' OR 1=1 //", "x}) MATCH (n) DETACH DELETE n //", "\u0000", "2026-13-45", "é" * 500):
        assert api.data(CHANGES, {"id": payload}, token=TOKEN)["changes"] == []
        api.data(CHANGES, {"since": payload}, token=TOKEN)  # compared as text: no error, no write
    assert pilot_store.node_label_counts()["Municipality"] > 0
