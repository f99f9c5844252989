"""Whole-graph rules hold for every write: mutations, the curated loader and the RDF import.

Each finding of issue 17 is one test here: the write is refused with a message that names the
field as the API spells it, and nothing of it is stored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph_api.config import SAMPLE_DIR
from graph_api.ingest import load
from graph_api.rows import LoadError
from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient

UPSERT_ADOPTION = """mutation($input: AdoptionInput!) { upsertAdoption(input: $input) {
    id startedOn endedOn learnedFrom { id } project { id } outcome } }"""
HAGENOW = "Adoption:hagenow-digitale-lokale-agenda"
BOIZENBURG = "Adoption:boizenburg-digitale-lokale-agenda"
MOELLN = "Adoption:moelln-klimawerkstatt"
BOIZENBURG_INPUT = {"id": "boizenburg-digitale-lokale-agenda", "solution": "Solution:digitale-lokale-agenda",
                    "adopter": "Municipality:13076014", "status": "PLANNED"}


def snapshot(store: Store) -> list[dict]:
    return store.read("MATCH (a:Adoption) OPTIONAL MATCH (a)-[:LEARNED_FROM]->(t:Adoption) "
                      "RETURN a.id AS id, a.started_on AS s, a.ended_on AS e, t.id AS teacher ORDER BY id, teacher")


def refused(api: GraphQLClient, data: dict) -> str:
    return api.errors(UPSERT_ADOPTION, {"input": data}, token=TOKEN)[0]


def test_an_adoption_cannot_learn_from_itself(fresh_pilot_store: Store) -> None:
    api, before = GraphQLClient(fresh_pilot_store), snapshot(fresh_pilot_store)
    message = refused(api, {**BOIZENBURG_INPUT, "learnedFrom": [BOIZENBURG]})
    assert "input.learnedFrom" in message and "cannot learn from itself" in message
    assert snapshot(fresh_pilot_store) == before


def test_a_two_adoption_cycle_is_refused(fresh_pilot_store: Store) -> None:
    api, before = GraphQLClient(fresh_pilot_store), snapshot(fresh_pilot_store)
    hagenow = {"id": "hagenow-digitale-lokale-agenda", "solution": "Solution:digitale-lokale-agenda",
               "adopter": "Municipality:13076060", "status": "ADOPTED", "learnedFrom": [BOIZENBURG]}
    message = refused(api, hagenow)
    assert "input.learnedFrom" in message and "forms a cycle" in message
    assert HAGENOW in message and BOIZENBURG in message
    assert snapshot(fresh_pilot_store) == before


def test_ended_before_started_is_refused_also_against_the_stored_start(fresh_pilot_store: Store) -> None:
    api, before = GraphQLClient(fresh_pilot_store), snapshot(fresh_pilot_store)
    both = refused(api, {**BOIZENBURG_INPUT, "startedOn": "2024-03-01", "endedOn": "2023-01-01"})
    assert "input.endedOn: 2023-01-01 is before startedOn 2024-03-01" in both
    only_end = refused(api, {**BOIZENBURG_INPUT, "endedOn": "2023-01-01"})  # startedOn stays 2024-03-01
    assert "input.endedOn: 2023-01-01 is before startedOn 2024-03-01" in only_end
    assert snapshot(fresh_pilot_store) == before


def test_learning_from_a_later_adoption_is_refused_from_either_side(fresh_pilot_store: Store) -> None:
    api, before = GraphQLClient(fresh_pilot_store), snapshot(fresh_pilot_store)
    hagenow = {"id": "hagenow-klimawerkstatt", "solution": "Solution:klimawerkstatt",
               "adopter": "Municipality:13076060", "status": "PILOT"}
    learner = refused(api, {**hagenow, "startedOn": "2021-01-01"})  # Mölln, its teacher, started 2022-09-01
    assert "input.learnedFrom" in learner and "started later" in learner and MOELLN in learner
    teacher = {"id": "moelln-klimawerkstatt", "solution": "Solution:klimawerkstatt",
               "adopter": "Municipality:01053090", "status": "ADOPTED", "startedOn": "2030-01-01"}
    message = refused(api, teacher)
    assert "learnedFrom" in message and "started later" in message and "Adoption:hagenow-klimawerkstatt" in message
    assert snapshot(fresh_pilot_store) == before


def test_explicit_null_clears_optional_fields(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    set_end = api.data(UPSERT_ADOPTION, {"input": {**BOIZENBURG_INPUT, "endedOn": "2025-01-01"}},
                       token=TOKEN)["upsertAdoption"]
    assert set_end["endedOn"] == "2025-01-01" and set_end["project"] is not None
    kept = api.data(UPSERT_ADOPTION, {"input": BOIZENBURG_INPUT}, token=TOKEN)["upsertAdoption"]
    assert kept["endedOn"] == "2025-01-01" and kept["startedOn"] == "2024-03-01"  # omitted = unchanged
    cleared = api.data(UPSERT_ADOPTION, {"input": {**BOIZENBURG_INPUT, "endedOn": None, "outcome": None,
                                                   "project": None, "learnedFrom": None}},
                       token=TOKEN)["upsertAdoption"]
    assert cleared == {"id": BOIZENBURG, "startedOn": "2024-03-01", "endedOn": None, "learnedFrom": [],
                       "project": None, "outcome": None}


def test_record_messages_name_fields_as_the_api_spells_them(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    message = refused(api, {**BOIZENBURG_INPUT, "startedOn": "2024-02-30"})  # refused by the Date scalar
    assert ".startedOn: Value cannot represent a Date: \"2024-02-30\"" in message
    message = refused(api, {**BOIZENBURG_INPUT, "id": "Not A Slug"})  # refused by the record model
    assert "input.id: 'Not A Slug' is not a slug" in message


def test_ownership_shares_of_one_organisation_sum_to_at_most_one(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    mutation = """mutation($input: OrganizationInput!) { upsertOrganization(input: $input) { id } }"""
    org = {"id": "test-werke", "name": "Testwerke GmbH", "kind": "PUBLIC_ENTERPRISE",
           "owners": [{"owner": "Municipality:13076060", "share": 0.6},
                      {"owner": "County:13076", "share": 0.6}]}
    message = api.errors(mutation, {"input": org}, token=TOKEN)[0]
    assert "input.owners" in message and "sum to 1.2" in message
    assert not fresh_pilot_store.read("MATCH (o:Organization {id: 'Organization:test-werke'}) RETURN o.id AS id")


def _copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "curated"
    folder.mkdir()
    for file in (SAMPLE_DIR / "curated").iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    return folder


def _edit_adoption(folder: Path, adoption_id: str, **changes: object) -> None:
    path = folder / "adoptions.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    for record in records:
        if record["id"] == adoption_id:
            record.update(changes)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_curated_loader_reports_the_same_rules_with_file_and_line(tmp_path: Path) -> None:
    from graph_api.loaders import curated

    folder = _copy_sample(tmp_path)
    _edit_adoption(folder, "hagenow-klimawerkstatt", started_on="2018-01-01", ended_on="2017-01-01")
    with pytest.raises(LoadError) as caught:
        curated.read(folder)
    text = str(caught.value)
    assert "adoptions.yaml:" in text
    assert "endedOn: 2017-01-01 is before startedOn 2018-01-01" in text
    assert "learnedFrom:" in text and "started later" in text


def test_a_second_load_that_closes_a_cycle_in_the_store_is_refused_in_its_transaction(
        fresh_pilot_store: Store, tmp_path: Path) -> None:
    """Each file alone is consistent; the cycle appears only together with what is stored."""
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "adoptions.yaml").write_text(yaml.safe_dump([{
        "id": "hagenow-digitale-lokale-agenda", "solution": "Solution:digitale-lokale-agenda",
        "adopter": "Municipality:13076060", "status": "ADOPTED",
        "learned_from": [BOIZENBURG]}]), encoding="utf-8")
    before = snapshot(fresh_pilot_store)
    with pytest.raises(LoadError) as caught:
        load(fresh_pilot_store, "curated", [folder])
    assert "forms a cycle" in str(caught.value) and "learnedFrom" in str(caught.value)
    assert snapshot(fresh_pilot_store) == before
