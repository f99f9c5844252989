"""Validation that bites: each cross-check of the shapes (AGS = IRI key = ARS prefix, geocoding links
name the own key, shares in 0..1 summing to at most 1, reified statements asserted) is broken once in
an otherwise valid export. pyshacl must report exactly that constraint, and `copgraph load rdf` must
refuse the file before writing anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from graph_api.cli import main
from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.loaders.rdf import read
from graph_api.rdf import vocab
from graph_api.rdf.export import export
from graph_api.rdf.generate import SHAPES_FILE
from graph_api.rows import LoadError
from graph_api.store import Store, open_store

BASE = "https://copgraph.example.org/"
CG = Namespace(vocab.CG)
CGS = Namespace(vocab.ONTOLOGY_IRI + "/shapes#")
OWNED_BY = URIRef(vocab.REL_PREDICATE["OWNED_BY"])


@pytest.fixture(scope="module")
def valid(pilot_store: Store) -> Graph:
    return Graph().parse(data="".join(export(pilot_store, BASE, "nt")), format="nt")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


def _a_municipality(graph: Graph) -> URIRef:
    return sorted(graph.subjects(RDF.type, CG.Municipality))[0]


def _wrong_ags(graph: Graph) -> None:
    node = _a_municipality(graph)
    graph.set((node, CG.ags, Literal("01001000")))


def _wrong_ars(graph: Graph) -> None:
    node = _a_municipality(graph)
    graph.set((node, CG.ars, Literal("010010000000")))


def _foreign_geocoding_link(graph: Graph) -> None:
    node = _a_municipality(graph)
    own = f"{vocab.GEOCODING}municipalityKey/{graph.value(node, CG.ags)}"
    graph.remove((node, URIRef(vocab.GEOCODING_LINK), URIRef(own)))
    graph.add((node, URIRef(vocab.GEOCODING_LINK), URIRef(f"{vocab.GEOCODING}municipalityKey/01001000")))


def _share_above_one(graph: Graph) -> None:
    statement = sorted(graph.subjects(CG.share, None))[0]
    graph.set((statement, CG.share, Literal(1.7, datatype=XSD.double)))


def _shares_summing_above_one(graph: Graph) -> None:
    statement = sorted(graph.subjects(CG.share, None))[0]
    enterprise = graph.value(statement, RDF.subject)
    graph.set((statement, CG.share, Literal(0.6, datatype=XSD.double)))
    other_owner = sorted(set(graph.subjects(RDF.type, URIRef(vocab.CLASS["Organization"])))
                         - {enterprise, graph.value(statement, RDF.object)})[0]
    graph.add((enterprise, OWNED_BY, other_owner))
    second = URIRef(f"{enterprise}#owned-by-second")
    for p, o in ((RDF.type, RDF.Statement), (RDF.subject, enterprise), (RDF.predicate, OWNED_BY),
                 (RDF.object, other_owner), (CG.share, Literal(0.6, datatype=XSD.double))):
        graph.add((second, p, o))


def _unasserted_statement(graph: Graph) -> None:
    statement = sorted(graph.subjects(RDF.type, RDF.Statement))[0]
    graph.remove((graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate),
                  graph.value(statement, RDF.object)))


BREAKS: dict[str, tuple[Callable[[Graph], None], str]] = {
    "ags contradicts the IRI key": (_wrong_ags, "MunicipalityKeyConstraint"),
    "ars contradicts the ags": (_wrong_ars, "MunicipalityKeyConstraint"),
    "geocoding link for another key": (_foreign_geocoding_link, "MunicipalityGeocodingConstraint"),
    "share of 1.7": (_share_above_one, "ShareRangeConstraint"),
    "shares summing to 1.2": (_shares_summing_above_one, "OwnershipShareConstraint"),
    "reified statement never asserted": (_unasserted_statement, "AssertedStatementConstraint"),
}


def _broken(valid: Graph, name: str) -> Graph:
    graph = Graph()
    for triple in valid:
        graph.add(triple)
    BREAKS[name][0](graph)
    return graph


def _failed_constraints(graph: Graph, shapes: Graph) -> set[str]:
    conforms, report, _ = validate(graph, shacl_graph=shapes, inference="none")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    return {str(c).rsplit("#", 1)[-1] for r in report.subjects(RDF.type, sh.ValidationResult)
            for c in report.objects(r, sh.sourceConstraint)}


def test_the_valid_export_passes_the_cross_checks(valid: Graph, shapes: Graph) -> None:
    integrity = {str(c).rsplit("#", 1)[-1] for c in shapes.objects(CGS.IntegrityShape, URIRef(
        "http://www.w3.org/ns/shacl#sparql"))}
    assert {constraint for _, constraint in BREAKS.values()} <= integrity
    assert not _failed_constraints(valid, shapes) & integrity


@pytest.mark.parametrize("name", list(BREAKS))
def test_shacl_reports_the_broken_cross_check(valid: Graph, shapes: Graph, name: str) -> None:
    assert BREAKS[name][1] in _failed_constraints(_broken(valid, name), shapes)


@pytest.mark.parametrize("name", list(BREAKS))
def test_load_rdf_refuses_the_file_before_writing(valid: Graph, name: str, tmp_path: Path,
                                                  empty_store: Store) -> None:
    path = tmp_path / "broken.nt"
    path.write_text(_broken(valid, name).serialize(format="nt"), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read(path, base_iri=BASE)
    assert all(p.file == str(path) for p in caught.value.problems)
    assert empty_store.node_label_counts() == {label: 0 for label in empty_store.node_label_counts()}


def test_the_cli_stores_nothing_from_a_file_with_a_wrong_ags(valid: Graph, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db.lbdb"
    store = open_store(Settings(store="ladybug", db_path=str(db)))
    load_sample(store)
    before = store.node_label_counts(), store.rel_type_counts()
    node = _a_municipality(valid)
    stored_ags = store.read("MATCH (m:Municipality {id: $id}) RETURN m.ags AS ags",
                            {"id": vocab.id_of_iri(str(node))})[0]["ags"]
    store.close()
    path = tmp_path / "broken.nt"
    path.write_text(_broken(valid, "ags contradicts the IRI key").serialize(format="nt"), encoding="utf-8")
    assert main(["--store", "ladybug", "--db", str(db), "load", "rdf", str(path)]) != 0
    assert "official key" in capsys.readouterr().err
    store = open_store(Settings(store="ladybug", db_path=str(db)))
    try:
        assert (store.node_label_counts(), store.rel_type_counts()) == before
        assert store.read("MATCH (m:Municipality {id: $id}) RETURN m.ags AS ags",
                          {"id": vocab.id_of_iri(str(node))})[0]["ags"] == stored_ags
    finally:
        store.close()
