"""OParl loader: Karlsruhe's real council data, the spec examples, idempotency, precise errors, IQ evidence."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from graph_api.config import SAMPLE_DIR
from graph_api.ingest import existing_ids_in, load
from graph_api.loaders import oparl
from graph_api.rows import GraphRows, LoadError
from graph_api.store import Store
from tests.conftest import SHARED_DATA

KARLSRUHE = SHARED_DATA / "oparl" / "karlsruhe"
EXAMPLES = SHARED_DATA / "oparl" / "spec" / "examples"
SAMPLE = SAMPLE_DIR / "oparl" / "karlsruhe"
needs_karlsruhe = pytest.mark.skipif(not KARLSRUHE.is_dir(), reason=f"shared OParl data not found at {KARLSRUHE}")
needs_examples = pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"OParl spec examples not found at {EXAMPLES}")

BODY = "https://web1.karlsruhe.de/oparl/bodies/0001"  # Karlsruhe's OParl Body: its administration's same_as
ORGS, PAPERS = f"{BODY}/organizations", f"{BODY}/papers"


def by_id(rows: GraphRows, label: str) -> dict[str, dict]:
    return {row["id"]: row for row in rows.nodes[label]}


def by_iri(rows: GraphRows, label: str) -> dict[str, dict]:
    """Nodes by the OParl id they stand for (`same_as`): the tests name objects as the files do."""
    return {row["same_as"]: row for row in rows.nodes[label] if row.get("same_as")}


def id_of(rows: GraphRows, label: str, iri: str) -> str:
    return by_iri(rows, label)[iri]["id"]


def dataset_of(rows: GraphRows) -> str:
    """The id of the one dataset Source (the body's OParl API) every relationship names as its source."""
    (found,) = [row["id"] for row in rows.nodes["Source"] if row["kind"] == "dataset"]
    return found


def rels(rows: GraphRows, rel_type: str) -> list[dict]:
    return [row for (name, _, _), group in rows.rels.items() if name == rel_type for row in group]


def problems(path: Path) -> list[str]:
    with pytest.raises(LoadError) as caught:
        oparl.read(path)
    return [str(p) for p in caught.value.problems]


def load_oparl(store: Store, path: Path):  # noqa: ANN201 - ApplySummary
    return load(store, "oparl", [path])


def copy_karlsruhe(tmp_path: Path) -> Path:
    target = tmp_path / "karlsruhe"
    shutil.copytree(SAMPLE, target)
    for file in target.rglob("*.json"):
        file.chmod(0o644)
    return target


# ---- the real Karlsruhe files ---------------------------------------------------------------
@needs_karlsruhe
def test_karlsruhe_organizations_split_into_council_bodies_and_enterprises() -> None:
    rows = oparl.read(KARLSRUHE)
    orgs, ADMIN, DUMP = by_id(rows, "Organization"), id_of(rows, "Organization", BODY), dataset_of(rows)
    assert len(orgs) == 97 + 1  # the 97 listed organisations and the body's administration
    assert orgs[ADMIN] == {"id": ADMIN, "name": "Stadtverwaltung Karlsruhe", "kind": "ADMINISTRATION", "url": None,
                           "same_as": BODY}
    assert all(node_id.startswith("Organization:oparl-") for node_id in orgs)  # the OParl namespace
    kinds = Counter(row["kind"] for node_id, row in orgs.items() if node_id != ADMIN)
    assert kinds == {"PUBLIC_ENTERPRISE": 13, "DEPARTMENT": 56, "COMMITTEE": 19, "COUNCIL": 9}
    enterprises = {row["name"] for row in orgs.values() if row["kind"] == "PUBLIC_ENTERPRISE"}
    assert {"Stadtwerke", "Verkehrsbetriebe Karlsruhe", "Karlsruher Versorgungs-, Verkehr- und Hafen GmbH",
            "Karlsruher Energie- und Klimaschutzagentur gGmbH (KEK)", "Eigenbetrieb Gewerbeflächen"} <= enterprises
    # a committee that oversees an enterprise is a council body, not the enterprise
    named = {row["name"]: row for row in orgs.values()}
    assert named["Betriebsausschuss Eigenbetrieb Abfallwirtschaft und Stadtreinigung"]["kind"] == "COMMITTEE"
    assert named["Gemeinderat"]["kind"] == "COUNCIL"
    # committees: every Ausschuss and Beirat by name (Karlsruhe fills no organizationType), and nothing else;
    # the staff council belongs to the administration
    committees = {node_id for node_id, row in orgs.items() if re.search(r"ausschuss|beirat", row["name"], re.I)}
    assert {node_id for node_id, row in orgs.items() if row["kind"] == "COMMITTEE"} == committees
    assert named["Gesamtpersonalrat"]["kind"] == "DEPARTMENT"
    kek = named["Karlsruher Energie- und Klimaschutzagentur gGmbH (KEK)"]
    assert (kek["legal_form"], kek["short_name"]) == ("gGmbH", "KEK")
    # enterprises are owned by, council bodies part of, the administration (no municipality in an empty store)
    owned = {r["from"] for r in rels(rows, "OWNED_BY")}
    assert len(owned) == 13 and {r["to"] for r in rels(rows, "OWNED_BY")} == {ADMIN}
    councils = {node_id for node_id, row in orgs.items() if row["kind"] == "COUNCIL"}
    # an elected council is not a part of the administration (84 links before, 9 of them councils')
    assert not {r["from"] for r in rels(rows, "SUB_ORGANIZATION_OF")} & councils
    assert len(rels(rows, "SUB_ORGANIZATION_OF")) == 75
    # committees belong to the Gemeinderat (no OParl parent given), departments to the administration
    parent = {r["from"]: r["to"] for r in rels(rows, "SUB_ORGANIZATION_OF")}
    assert {parent[o] for o in committees} == {named["Gemeinderat"]["id"]}
    assert {parent[o] for o, row in orgs.items() if row["kind"] == "DEPARTMENT"} == {ADMIN}
    assert not rels(rows, "ADMINISTERS")
    assert all(r["source"] == DUMP for key, group in rows.rels.items() for r in group)


@needs_karlsruhe
def test_karlsruhe_meeting_with_agenda_items_and_papers_become_sources() -> None:
    rows = oparl.read(KARLSRUHE)
    sources, DUMP = by_iri(rows, "Source"), dataset_of(rows)
    assert Counter(s["kind"] for s in by_id(rows, "Source").values()) == {
        "dataset": 1, "council-meeting": 1, "council-agenda-item": 7, "council-paper": 2, "council-file": 8}
    assert len(sources) == 18  # every source but the dataset is an OParl object, kept as same_as
    meeting = sources[f"{BODY}/meetings/10022"]
    assert meeting["published_on"] == "2025-01-15"
    assert meeting["url"] == "https://web1.karlsruhe.de/oparl/bodies/0001/meetings/10022"
    assert meeting["publisher"] == "Stadt Karlsruhe"
    assert "7 Tagesordnungspunkte" in meeting["note"]
    paper = sources[f"{PAPERS}/vo/35558"]
    assert (paper["published_on"], paper["note"]) == ("2017-04-27", "Beschlussvorlage 2017/0307")
    assert sources[f"{BODY}/agendaitems/91071"]["title"].startswith("TOP 1: Vorstellung Projekt")
    evidence = {(r["from"], r["to"]) for r in rels(rows, "SOURCED_FROM") if r["to"] != DUMP}
    org = {row["name"]: row["id"] for row in rows.nodes["Organization"]}
    durlach = org["Ortschaftsrat Durlach"]
    assert (durlach, meeting["id"]) in evidence
    assert (durlach, sources[f"{BODY}/agendaitems/91567"]["id"]) in evidence
    assert (org["Amt für Stadtentwicklung"], paper["id"]) in evidence
    assert (org["Gemeinderat"], paper["id"]) in evidence
    # no IQ evidence without the solution in the store (the loader may run on an empty store)
    assert not [r for r in rels(rows, "SOURCED_FROM") if r["from"].startswith("Solution:")]


@needs_karlsruhe
def test_bundled_sample_is_the_shared_karlsruhe_data() -> None:
    for file in KARLSRUHE.rglob("*.json"):
        assert (SAMPLE / file.relative_to(KARLSRUHE)).read_bytes() == file.read_bytes()


def test_reload_is_idempotent(empty_store: Store) -> None:
    first = load_oparl(empty_store, SAMPLE)
    assert first.created["Organization"] == 98 and first.created["Source"] == 19
    second = load_oparl(empty_store, SAMPLE)
    assert not second.changed
    assert second.unchanged["Organization"] == 98 and second.unchanged["SOURCED_FROM"] == 124


def test_administration_and_iq_evidence_link_to_existing_nodes(empty_store: Store) -> None:
    seed = GraphRows()
    seed.add_node("Municipality", {"id": "Municipality:08212000", "name": "Karlsruhe", "ags": "08212000"})
    seed.add_node("Solution", {"id": oparl.IQ_SOLUTION, "name": "IQ – innovativ und quervernetzt"})
    empty_store.apply(seed)
    load_oparl(empty_store, SAMPLE)
    evidence = empty_store.read(
        "MATCH (:Solution {id: $id})-[r:SOURCED_FROM]->(s:Source) RETURN s.same_as AS paper, r.source AS source",
        {"id": oparl.IQ_SOLUTION})
    dump = empty_store.read("MATCH (s:Source {kind: 'dataset'}) RETURN s.id AS id")[0]["id"]
    assert evidence == [{"paper": f"{PAPERS}/vo/35760", "source": dump}]
    assert empty_store.read("MATCH (o:Organization)-[:ADMINISTERS]->(m:Municipality) RETURN o.same_as AS o, m.id AS m"
                            ) == [{"o": BODY, "m": "Municipality:08212000"}]
    owners = empty_store.read("MATCH (o:Organization)-[:OWNED_BY]->(m:Municipality) RETURN count(o) AS c")
    assert owners == [{"c": 13}]


# ---- the specification's examples -----------------------------------------------------------
@needs_examples
def test_spec_meeting_example_violates_its_own_schema() -> None:
    # AgendaItem.json requires `order`; the agenda item embedded in Meeting-01.json has none
    assert problems(EXAMPLES) == [
        f"{EXAMPLES / 'Meeting-01.json'}:90: Meeting.agendaItem[0].order: is required but missing"]


@needs_examples
def test_spec_examples_map_to_graph_rows(tmp_path: Path) -> None:
    for file in EXAMPLES.glob("*.json"):
        data = json.loads(file.read_text(encoding="utf-8"))
        if data["type"].endswith("/Meeting"):
            for item in data["agendaItem"]:
                item.setdefault("order", 1)
        (tmp_path / file.name).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    # the organisation Person-01's first membership refers to
    (tmp_path / "Organization-05.json").write_text(json.dumps({
        "id": "https://oparl.example.org/organizations/5", "type": "https://schema.oparl.org/1.1/Organization",
        "body": "https://oparl.example.org/body/0", "name": "Rat der Stadt Köln"}), encoding="utf-8")
    rows = oparl.read(tmp_path)
    orgs = by_iri(rows, "Organization")
    admin = orgs["https://oparl.example.org/body/0"]
    assert (admin["name"], admin["url"]) == ("Stadtverwaltung Köln", "http://www.beispielstadt.de/")
    finance = orgs["https://oparl.example.org/organization/34"]
    assert (finance["name"], finance["kind"], finance["short_name"]) == (
        "Ausschuss für Haushalt und Finanzen", "COMMITTEE", "Finanzausschuss")
    assert "Gremium / Ausschuss" in finance["description"]
    council = orgs["https://oparl.example.org/organizations/5"]
    assert council["kind"] == "COUNCIL"
    actors = by_id(rows, "Actor")
    person = id_of(rows, "Actor", "https://oparl.example.org/person/29")
    assert actors == {person: {
        "id": person, "name": "Prof. Dr. Max Mustermann", "role_label": "Bezirksbürgermeister",
        "visibility": "public", "same_as": "https://oparl.example.org/person/29"}}  # no e-mail, no phone
    assert [(r["from"], r["to"], r["title"], r["since"], r["until"]) for r in rels(rows, "WORKS_FOR")] == [
        (person, council["id"], "Vorsitzende", "2013-12-03", None)]
    sources = by_iri(rows, "Source")
    assert by_id(rows, "Source")[dataset_of(rows)]["licence"] == "http://creativecommons.org/licenses/by/4.0/"
    meeting = sources["https://oparl.example.org/meeting/281"]
    assert meeting["published_on"] == "2013-01-04"
    assert sources["https://oparl.example.org/paper/749"]["title"] == "Antwort auf Anfrage 1200/2014"
    assert sources["https://oparl.example.org/files/57737"]["url"] == "https://oparl.example.org/files/57737.pdf"
    assert (finance["id"], meeting["id"]) in {(r["from"], r["to"]) for r in rels(rows, "SOURCED_FROM")}
    rows.check_properties()


@needs_examples
def test_list_page_is_read(tmp_path: Path) -> None:
    page = {"data": [json.loads((EXAMPLES / "Body-01.json").read_text(encoding="utf-8")),
                     json.loads((EXAMPLES / "Organization-01.json").read_text(encoding="utf-8"))],
            "pagination": {"totalElements": 2}, "links": {}}
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    rows = oparl.read(tmp_path / "page.json")
    assert set(by_iri(rows, "Organization")) == {"https://oparl.example.org/body/0",
                                                 "https://oparl.example.org/organization/34"}


# ---- broken inputs ------------------------------------------------------------------------
def test_broken_files_are_all_reported_and_nothing_is_written(empty_store: Store, tmp_path: Path) -> None:
    folder = copy_karlsruhe(tmp_path)
    paper = folder / "papers" / "35558.json"
    paper.write_text(paper.read_text(encoding="utf-8").replace('"date": "2017-04-27"', '"date": "xyz"'),
                     encoding="utf-8")
    meeting = folder / "meetings" / "10022.json"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace('"order": 3,', '"order": 3'), encoding="utf-8")
    orgs = json.loads((folder / "organizations.json").read_text(encoding="utf-8"))
    orgs[2]["name"] = 42
    (folder / "organizations.json").write_text(json.dumps(orgs, indent=2), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(empty_store, "oparl", [folder])
    assert [str(p) for p in caught.value.problems] == [
        f"{meeting}:36: json: Expecting ',' delimiter (column 7)",
        f"{folder / 'organizations.json'}:23: [2] Organization.name: 42 is not of type 'string'",
        f"{paper}:71: Paper.date: 'xyz' is not a date (YYYY-MM-DD)",
    ]
    assert sum(empty_store.node_label_counts().values()) == 0


def test_unknown_object_type_and_unknown_body(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([
        {"id": "https://x.example/thing/1", "type": "https://schema.oparl.org/1.1/Thing"},
        {"id": "https://x.example/paper/1", "type": "https://schema.oparl.org/1.1/Paper",
         "body": "https://x.example/body/9", "name": "Vorlage"}]), encoding="utf-8")
    assert problems(tmp_path) == [
        f"{tmp_path / 'a.json'}:1: [0] type: 'https://schema.oparl.org/1.1/Thing' is not an OParl 1.1 object type "
        "(https://schema.oparl.org/1.1/<AgendaItem, Body, Consultation, File, LegislativeTerm, Location, Meeting, "
        "Membership, Organization, Paper, Person, System>)"]
    (tmp_path / "a.json").write_text(json.dumps(
        {"id": "https://x.example/paper/1", "type": "https://schema.oparl.org/1.1/Paper",
         "body": "https://x.example/body/9", "name": "Vorlage"}), encoding="utf-8")
    assert problems(tmp_path) == [
        f"{tmp_path / 'a.json'}:1: Paper.body: 'https://x.example/body/9' is not a Body in the input and the loader "
        "knows no such body; add the Body object to the input"]


def test_existing_ids_are_asked_once_for_what_the_loader_links_to(empty_store: Store) -> None:
    asked: list[set[str]] = []
    existing = existing_ids_in(empty_store)

    def spy(ids: set[str]) -> set[str]:
        asked.append(ids)
        return existing(ids)

    oparl.read(SAMPLE, existing_ids=spy)
    assert asked == [{"Municipality:08212000", oparl.IQ_SOLUTION}]
