"""Identity of loaded records: OParl keys come from OParl object ids (a renamed body, organisation or
paper stays the same node), are bounded and slug-safe whatever the input, keep the OParl IRI as
`same_as` (exported as owl:sameAs); curated records cannot define an OParl key, so the two sources
never overwrite each other, in either load order; RDF loads hold new nodes to the same record rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from graph_api.config import PROJECT_ROOT, SAMPLE_DIR, Settings
from graph_api.ingest import load
from graph_api.loaders import curated, oparl
from graph_api.loaders.oparl_names import object_key
from graph_api.model import SLUG_RE
from graph_api.rdf.export import export
from graph_api.rows import LoadError
from graph_api.store import Store, open_store
from tests.graphql_client import TOKEN, GraphQLClient

BASE = "https://copgraph.example.org/"
OPARL = "https://schema.oparl.org/1.1/"
BODY = "https://ris.example-stadt.de/oparl/body/1"
ORG = f"{BODY}/organization/7"
PAPER = f"{BODY}/paper/4711"
PERSON = f"{BODY}/person/3"


def _council(folder: Path, *, body: str = "Stadt Beispielstadt", org: str = "Ausschuss für Digitalisierung",
             paper: str = "Digitalstrategie 2030", person: str = "Erika Beispiel") -> Path:
    """A small OParl dump of one body (names chosen by the caller, ids fixed)."""
    folder.mkdir(parents=True, exist_ok=True)
    objects = [
        {"id": BODY, "type": f"{OPARL}Body", "name": body, "ags": "09999999", "organization": f"{BODY}/organizations",
         "person": f"{BODY}/people", "meeting": f"{BODY}/meetings", "paper": f"{BODY}/papers",
         "legislativeTerm": []},
        {"id": ORG, "type": f"{OPARL}Organization", "body": BODY, "name": org},
        {"id": PERSON, "type": f"{OPARL}Person", "body": BODY, "name": person,
         "membership": [{"id": f"{PERSON}/membership/1", "type": f"{OPARL}Membership", "organization": ORG,
                         "role": "Vorsitz"}]},
        {"id": PAPER, "type": f"{OPARL}Paper", "body": BODY, "name": paper, "reference": "2026/0815",
         "date": "2026-03-01", "underDirectionOf": [ORG]},
    ]
    (folder / "dump.json").write_text(json.dumps(objects, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def _by_same_as(store: Store) -> dict[str, str]:
    """OParl IRI -> node id, for every node the store holds with a `same_as`."""
    out = {}
    for label in ("Organization", "Actor", "Source"):
        for row in store.read(f"MATCH (n:{label}) WHERE n.same_as IS NOT NULL RETURN n.same_as AS iri, n.id AS id"):
            out[row["iri"]] = row["id"]
    return out


# ---- keys ------------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["https://", "http://", "HTTPS://", ""]))
def test_every_oparl_key_is_a_bounded_slug(tail: str, scheme: str) -> None:
    key = object_key(scheme + tail)
    assert SLUG_RE.match(key) and key.startswith("oparl-") and len(key) <= 57, key
    assert object_key(scheme + tail) == key  # the same URL always gives the same key


def test_keys_of_urls_that_differ_only_after_the_readable_part_differ() -> None:
    long = "https://ris.example.de/oparl/body/1/paper/" + "7" * 200
    assert object_key(long + "1") != object_key(long + "2")
    assert object_key(f"{BODY}/paper/1") != object_key(f"{BODY}/file/1")  # same number, another object type
    assert object_key("HTTPS://RIS.Example-Stadt.DE/oparl/body/1/") == object_key(BODY)  # scheme, host, "/"


def test_a_megabyte_url_or_name_gives_no_giant_key(tmp_path: Path) -> None:
    folder = _council(tmp_path / "in", org="Ausschuss " + "x" * (1 << 20))
    with pytest.raises(LoadError) as caught:
        oparl.read(folder)
    found = [str(p) for p in caught.value.problems]
    assert len(found) == 1 and "Organization.name: is 1,048,586 characters long" in found[0], found
    assert len(found[0]) < 500
    rows = oparl.read(_council(tmp_path / "ok"))
    assert max(len(row["id"]) for rows_ in rows.nodes.values() for row in rows_) < 80


# ---- renaming ----------------------------------------------------------------------------------------
def test_renamed_body_organisation_paper_and_person_reload_as_the_same_nodes(empty_store: Store,
                                                                            tmp_path: Path) -> None:
    first = load(empty_store, "oparl", [_council(tmp_path / "v1")])
    ids = _by_same_as(empty_store)
    assert set(ids) == {BODY, ORG, PAPER, PERSON}
    counts = empty_store.node_label_counts()
    renamed = _council(tmp_path / "v2", body="Große Kreisstadt Neu-Beispielstadt", org="Digitalausschuss",
                       paper="Digitalstrategie 2030 (Fortschreibung)", person="Erika Beispiel-Muster")
    second = load(empty_store, "oparl", [renamed])
    assert sum(second.created.values()) == 0 and second.updated["Organization"] == 2, second.table()
    assert _by_same_as(empty_store) == ids and empty_store.node_label_counts() == counts
    names = {r["id"]: r["name"] for r in empty_store.read("MATCH (o:Organization) RETURN o.id AS id, o.name AS name")}
    assert names == {ids[BODY]: "Stadtverwaltung Neu-Beispielstadt", ids[ORG]: "Digitalausschuss"}
    assert not load(empty_store, "oparl", [renamed]).changed  # and reloading is idempotent
    assert first.created["Organization"] == 2


def test_export_states_owl_same_as_the_oparl_iri(empty_store: Store, tmp_path: Path) -> None:
    load(empty_store, "oparl", [_council(tmp_path / "in")])
    graph = Graph().parse(data="".join(export(empty_store, BASE, "nt")), format="nt")
    same = {str(o): str(s) for s, o in graph.subject_objects(OWL.sameAs)}
    assert set(same) == {BODY, ORG, PAPER, PERSON}
    for iri, node in _by_same_as(empty_store).items():
        label, key = node.split(":", 1)
        assert same[iri].endswith(f"/{key}") and URIRef(same[iri]) in set(graph.subjects())


# ---- curated and OParl never write the same node ---------------------------------------------------
def _curated_org(tmp_path: Path, key: str) -> Path:
    folder = tmp_path / "curated"
    folder.mkdir(exist_ok=True)
    (folder / "organizations.yaml").write_text(
        f"- id: {key}\n  name: Stadtverwaltung Beispielstadt (kuratiert)\n  kind: ADMINISTRATION\n"
        "  description: Von Hand gepflegt.\n  url: https://www.example-stadt.de/\n", encoding="utf-8")
    return folder


def test_a_curated_record_cannot_define_an_oparl_key(tmp_path: Path) -> None:
    key = object_key(BODY)
    folder = _curated_org(tmp_path, key)
    with pytest.raises(LoadError) as caught:
        curated.read(folder)
    found = [str(p) for p in caught.value.problems]
    assert len(found) == 1 and found[0].startswith(f"{folder / 'organizations.yaml'}:1: id: "), found
    assert "belong to the OParl loader" in found[0] and "a curated record cannot define one" in found[0]


@pytest.mark.parametrize("order", [("curated", "oparl"), ("oparl", "curated")])
def test_curated_and_oparl_records_of_one_organisation_never_overwrite_each_other(
        empty_store: Store, tmp_path: Path, order: tuple[str, str]) -> None:
    """Before, the curated `stadtverwaltung-karlsruhe` and the OParl body's administration were one id:
    each load set its name, url and kind back. Now they are two nodes and alternating loads change nothing."""
    inputs = {"curated": _curated_org(tmp_path, "stadtverwaltung-beispielstadt"), "oparl": _council(tmp_path / "o")}
    for name in order:
        load(empty_store, name, [inputs[name]])
    state = empty_store.read("MATCH (o:Organization) RETURN o.id AS id, o.name AS name, o.url AS url, "
                             "o.description AS d, o.same_as AS same_as ORDER BY id")
    for name in order * 2:
        assert not load(empty_store, name, [inputs[name]]).changed, name
    assert empty_store.read("MATCH (o:Organization) RETURN o.id AS id, o.name AS name, o.url AS url, "
                            "o.description AS d, o.same_as AS same_as ORDER BY id") == state
    by_id = {row["id"]: row for row in state}
    assert by_id["Organization:stadtverwaltung-beispielstadt"]["name"] == "Stadtverwaltung Beispielstadt (kuratiert)"
    assert by_id[f"Organization:{object_key(BODY)}"]["same_as"] == BODY


def test_a_mutation_cannot_take_an_oparl_key(empty_store: Store) -> None:
    errors = GraphQLClient(empty_store).errors("mutation($i: SolutionInput!) { upsertSolution(input: $i) { id } }",
                                               {"i": {"id": "oparl-x-0123456789", "name": "Gekaperte Lösung"}},
                                               token=TOKEN)
    assert any("belong to the OParl loader" in e for e in errors), errors
    assert sum(empty_store.node_label_counts().values()) == 0


# ---- RDF loads hold new nodes to the record rules -------------------------------------------------
def _ttl(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "in.ttl"
    path.write_text("@prefix schema: <https://schema.org/> .\n@prefix cg: <https://copgraph.example.org/ontology#> .\n"
                    "@prefix org: <http://www.w3.org/ns/org#> .\n@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
                    + body, encoding="utf-8")
    return path


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph_api.cli", "--db", str(db), *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=300, env=_env())


def _env() -> dict[str, Any]:
    import os

    return {**os.environ, "COPGRAPH_BASE_IRI": BASE}


@pytest.mark.parametrize(("node", "field"), [
    ("<https://copgraph.example.org/id/organization/namenlos> a org:Organization ; "
     "org:classification cg:Network .",
     "Organization:namenlos name"),
    ("<https://copgraph.example.org/id/actor/namenlos> a foaf:Person ; cg:visibility \"public\" .",
     "Actor:namenlos name"),
    ("<https://copgraph.example.org/id/actor/niemand> a foaf:Person .", "Actor:niemand name"),
])
def test_load_rdf_refuses_a_nameless_new_node_and_writes_nothing(tmp_path: Path, node: str, field: str) -> None:
    db = tmp_path / "g.lbdb"
    store = open_store(Settings(store="ladybug", db_path=str(db)))
    load(store, "gv100ad", [SAMPLE_DIR / "gv100ad_pilot.ASC"])
    before = store.node_label_counts()
    store.close()
    path = _ttl(tmp_path, node + "\n")
    result = _cli(db, "load", "rdf", str(path))
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert f"{path}: {field}: " in result.stderr and "required" in result.stderr, result.stderr
    store = open_store(Settings(store="ladybug", db_path=str(db)))
    try:
        assert store.node_label_counts() == before
    finally:
        store.close()


def test_rdf_may_update_a_stored_node_without_restating_its_name(empty_store: Store, tmp_path: Path) -> None:
    load(empty_store, "curated", [_curated_org(tmp_path, "stadtverwaltung-beispielstadt")])
    path = _ttl(tmp_path, "<https://copgraph.example.org/id/organization/stadtverwaltung-beispielstadt> "
                          "a org:Organization ; schema:alternateName \"SV Beispielstadt\" .\n")
    summary = load(empty_store, "rdf", [path], base_iri=BASE)
    assert summary.updated["Organization"] == 1
    row = empty_store.read("MATCH (o:Organization) RETURN o.name AS name, o.short_name AS short")[0]
    assert row == {"name": "Stadtverwaltung Beispielstadt (kuratiert)", "short": "SV Beispielstadt"}


def test_a_database_made_before_same_as_gains_the_column_and_takes_an_oparl_load(tmp_path: Path) -> None:
    import ladybug

    path = tmp_path / "old.lbdb"
    database = ladybug.Database(str(path))
    conn = ladybug.Connection(database)
    conn.execute("CREATE NODE TABLE Organization(id STRING PRIMARY KEY, name STRING, kind STRING)")
    conn.execute("CREATE (:Organization {id: 'Organization:alt', name: 'Alt', kind: 'NETWORK'})")
    conn.close()
    database.close()
    store = open_store(Settings(store="ladybug", db_path=str(path)))
    try:
        load(store, "oparl", [_council(tmp_path / "in")])
        assert set(_by_same_as(store)) == {BODY, ORG, PAPER, PERSON}
        assert store.read("MATCH (o:Organization {id: 'Organization:alt'}) RETURN o.name AS n") == [{"n": "Alt"}]
    finally:
        store.close()
