"""OParl loader: Karlsruhe's real council data, the spec examples, idempotency, precise errors, IQ evidence."""

from __future__ import annotations

import json
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

ADMIN = "Organization:stadtverwaltung-karlsruhe"
DUMP = "Source:oparl-karlsruhe"


def by_id(rows: GraphRows, label: str) -> dict[str, dict]:
    return {row["id"]: row for row in rows.nodes[label]}


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
    orgs = by_id(rows, "Organization")
    assert len(orgs) == 97 + 1  # the 97 listed organisations and the body's administration
    assert orgs[ADMIN] == {"id": ADMIN, "name": "Stadtverwaltung Karlsruhe", "kind": "ADMINISTRATION", "url": None}
    kinds = Counter(row["kind"] for node_id, row in orgs.items() if node_id != ADMIN)
    assert kinds == {"PUBLIC_ENTERPRISE": 13, "DEPARTMENT": 75, "ADMINISTRATION": 9}
    enterprises = {row["name"] for row in orgs.values() if row["kind"] == "PUBLIC_ENTERPRISE"}
    assert {"Stadtwerke", "Verkehrsbetriebe Karlsruhe", "Karlsruher Versorgungs-, Verkehr- und Hafen GmbH",
            "Karlsruher Energie- und Klimaschutzagentur gGmbH (KEK)", "Eigenbetrieb Gewerbeflächen"} <= enterprises
    # a committee that oversees an enterprise is a council body, not the enterprise
    assert orgs["Organization:betriebsausschuss-eigenbetrieb-abfallwirtschaft-und-stadtreinigung-karlsruhe"][
        "kind"] == "DEPARTMENT"
    assert orgs["Organization:gemeinderat-karlsruhe"]["kind"] == "ADMINISTRATION"
    kek = orgs["Organization:karlsruher-energie-und-klimaschutzagentur-ggmbh-kek"]
    assert (kek["legal_form"], kek["short_name"]) == ("gGmbH", "KEK")
    # enterprises are owned by, council bodies part of, the administration (no municipality in an empty store)
    owned = {r["from"] for r in rels(rows, "OWNED_BY")}
    assert len(owned) == 13 and {r["to"] for r in rels(rows, "OWNED_BY")} == {ADMIN}
    councils = {node_id for node_id, row in orgs.items() if row["kind"] == "ADMINISTRATION" and node_id != ADMIN}
    # an elected council is not a part of the administration (84 links before, 9 of them councils')
    assert not {r["from"] for r in rels(rows, "SUB_ORGANIZATION_OF")} & councils
    assert len(rels(rows, "SUB_ORGANIZATION_OF")) == 75
    assert not rels(rows, "ADMINISTERS")
    assert all(r["source"] == DUMP for key, group in rows.rels.items() for r in group)


@needs_karlsruhe
def test_karlsruhe_meeting_with_agenda_items_and_papers_become_sources() -> None:
    rows = oparl.read(KARLSRUHE)
    sources = by_id(rows, "Source")
    assert Counter(s["kind"] for s in sources.values()) == {
        "dataset": 1, "council-meeting": 1, "council-agenda-item": 7, "council-paper": 2, "council-file": 8}
    meeting = sources["Source:oparl-karlsruhe-meeting-10022"]
    assert meeting["published_on"] == "2025-01-15"
    assert meeting["url"] == "https://web1.karlsruhe.de/oparl/bodies/0001/meetings/10022"
    assert meeting["publisher"] == "Stadt Karlsruhe"
    assert "7 Tagesordnungspunkte" in meeting["note"]
    paper = sources["Source:oparl-karlsruhe-paper-35558"]
    assert (paper["published_on"], paper["note"]) == ("2017-04-27", "Beschlussvorlage 2017/0307")
    assert sources["Source:oparl-karlsruhe-agenda-item-91071"]["title"].startswith("TOP 1: Vorstellung Projekt")
    evidence = {(r["from"], r["to"]) for r in rels(rows, "SOURCED_FROM") if r["to"] != DUMP}
    durlach = "Organization:ortschaftsrat-durlach-karlsruhe"
    assert (durlach, "Source:oparl-karlsruhe-meeting-10022") in evidence
    assert (durlach, "Source:oparl-karlsruhe-agenda-item-91567") in evidence
    assert ("Organization:amt-fuer-stadtentwicklung-karlsruhe", "Source:oparl-karlsruhe-paper-35558") in evidence
    assert ("Organization:gemeinderat-karlsruhe", "Source:oparl-karlsruhe-paper-35558") in evidence
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
        "MATCH (:Solution {id: $id})-[r:SOURCED_FROM]->(s:Source) RETURN s.id AS id, r.source AS source",
        {"id": oparl.IQ_SOLUTION})
    assert evidence == [{"id": "Source:oparl-karlsruhe-paper-35760", "source": DUMP}]
    assert empty_store.read("MATCH (o:Organization)-[:ADMINISTERS]->(m:Municipality) RETURN o.id AS o, m.id AS m"
                            ) == [{"o": ADMIN, "m": "Municipality:08212000"}]
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
    orgs = by_id(rows, "Organization")
    assert orgs["Organization:stadtverwaltung-koeln"]["url"] == "http://www.beispielstadt.de/"
    finance = orgs["Organization:ausschuss-fuer-haushalt-und-finanzen-koeln"]
    assert (finance["kind"], finance["short_name"]) == ("DEPARTMENT", "Finanzausschuss")
    assert "Gremium / Ausschuss" in finance["description"]
    assert orgs["Organization:rat-der-stadt-koeln"]["kind"] == "ADMINISTRATION"
    actors = by_id(rows, "Actor")
    assert actors == {"Actor:oparl-koeln-person-29": {
        "id": "Actor:oparl-koeln-person-29", "name": "Prof. Dr. Max Mustermann", "role_label": "Bezirksbürgermeister",
        "visibility": "public"}}  # no e-mail, no phone
    assert [(r["from"], r["to"], r["title"], r["since"], r["until"]) for r in rels(rows, "WORKS_FOR")] == [
        ("Actor:oparl-koeln-person-29", "Organization:rat-der-stadt-koeln", "Vorsitzende", "2013-12-03", None)]
    sources = by_id(rows, "Source")
    assert sources["Source:oparl-koeln"]["licence"] == "http://creativecommons.org/licenses/by/4.0/"
    assert sources["Source:oparl-koeln-meeting-281"]["published_on"] == "2013-01-04"
    assert sources["Source:oparl-koeln-paper-749"]["title"] == "Antwort auf Anfrage 1200/2014"
    assert sources["Source:oparl-koeln-file-57737"]["url"] == "https://oparl.example.org/files/57737.pdf"
    assert ("Organization:ausschuss-fuer-haushalt-und-finanzen-koeln", "Source:oparl-koeln-meeting-281") in {
        (r["from"], r["to"]) for r in rels(rows, "SOURCED_FROM")}
    rows.check_properties()


@needs_examples
def test_list_page_is_read(tmp_path: Path) -> None:
    page = {"data": [json.loads((EXAMPLES / "Body-01.json").read_text(encoding="utf-8")),
                     json.loads((EXAMPLES / "Organization-01.json").read_text(encoding="utf-8"))],
            "pagination": {"totalElements": 2}, "links": {}}
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    rows = oparl.read(tmp_path / "page.json")
    assert set(by_id(rows, "Organization")) == {"Organization:stadtverwaltung-koeln",
                                                "Organization:ausschuss-fuer-haushalt-und-finanzen-koeln"}


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
