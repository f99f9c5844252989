"""The RDF model says what the graph means under the vocabularies' own semantics: places are never
agents (RDFS inference with the public vocabularies' axioms, by owlrl), organisation kinds are SKOS
concepts, units are org:OrganizationalUnit, solutions are ADMS/DCAT-style descriptions in German,
and only statements that carry more than their source are reified."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS, SKOS

from graph_api.model import TERRITORY_LABELS
from graph_api.rdf import vocab
from graph_api.rdf.export import export
from graph_api.rdf.generate import ONTOLOGY_FILE
from graph_api.store import Store

BASE = "https://copgraph.example.org/"
ORG = Namespace("http://www.w3.org/ns/org#")
DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
# Axioms of the public vocabularies the export uses (from W3C ORG, PROV-O, FOAF) that turn things into agents.
PUBLIC_AXIOMS = [
    (ORG.memberOf, RDFS.domain, FOAF.Agent), (ORG.memberOf, RDFS.range, FOAF.Agent),
    (ORG.hasMember, RDFS.range, FOAF.Agent), (ORG.Organization, RDFS.subClassOf, FOAF.Agent),
    (PROV.wasAssociatedWith, RDFS.range, PROV.Agent), (PROV.wasAttributedTo, RDFS.range, PROV.Agent),
    (FOAF.knows, RDFS.domain, FOAF.Person), (FOAF.Person, RDFS.subClassOf, FOAF.Agent),
]


@pytest.fixture(scope="module")
def exported(pilot_store: Store) -> Graph:
    return Graph().parse(data="".join(export(pilot_store, BASE, "nt")), format="nt")


def test_places_are_never_agents_under_rdfs_inference(exported: Graph, pilot_store: Store) -> None:
    graph = Graph()
    for triple in exported:
        graph.add(triple)
    graph.parse(ONTOLOGY_FILE, format="turtle")
    for axiom in PUBLIC_AXIOMS:
        graph.add(axiom)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(graph)
    territories = {URIRef(vocab.node_iri(BASE, r["id"])) for label in TERRITORY_LABELS
                   for r in pilot_store.read(f"MATCH (n:{label}) RETURN n.id AS id")}
    agents = set(graph.subjects(RDF.type, FOAF.Agent)) | set(graph.subjects(RDF.type, PROV.Agent))
    assert territories and not territories & agents
    # ... while organisations still are agents, and territories still adopt (through their authority)
    assert set(graph.subjects(RDF.type, ORG.Organization)) <= agents
    assert any(True for _ in exported.triples((None, URIRef(vocab.CG + "adoptedIn"), None)))


def test_organisation_kinds_are_concepts_of_a_declared_scheme(exported: Graph, pilot_store: Store) -> None:
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    scheme = URIRef(vocab.ORG_KIND_SCHEME)
    kinds = {r["id"]: r["kind"] for r in pilot_store.read("MATCH (o:Organization) RETURN o.id AS id, o.kind AS kind")}
    for node_id, kind in kinds.items():
        (concept,) = exported.objects(URIRef(vocab.node_iri(BASE, node_id)), ORG.classification)
        assert (concept, SKOS.inScheme, scheme) in ontology
        assert (concept, SKOS.notation, Literal(kind)) in ontology
        assert {label.language for label in ontology.objects(concept, SKOS.prefLabel)} >= {"de", "en"}
    assert not set(exported.triples((None, URIRef(vocab.CG + "kind"), Literal("PUBLIC_ENTERPRISE"))))


def test_departments_are_organizational_units(exported: Graph, pilot_store: Store) -> None:
    departments = {r["id"] for r in pilot_store.read("MATCH (o:Organization) WHERE o.kind IN ['DEPARTMENT', "
                                                     "'COMMITTEE'] RETURN o.id AS id")}
    units = {vocab.id_of_iri(str(s)) for s in exported.subjects(RDF.type, ORG.OrganizationalUnit)}
    assert departments and units == departments


def test_solutions_are_described_in_german_with_iris_for_licence_and_page(exported: Graph,
                                                                         pilot_store: Store) -> None:
    rows = pilot_store.read("MATCH (s:Solution) RETURN s.id AS id, s.name AS name, s.summary AS summary, "
                            "s.url AS url, s.licence AS licence")
    for row in rows:
        solution = URIRef(vocab.node_iri(BASE, row["id"]))
        assert (solution, DCT.title, Literal(row["name"], lang="de")) in exported
        if row["summary"]:
            assert (solution, DCT.description, Literal(row["summary"], lang="de")) in exported
        if row["url"]:
            assert (solution, DCAT.landingPage, URIRef(row["url"])) in exported
        for licence in exported.objects(solution, DCT.license):
            assert isinstance(licence, URIRef)


def test_only_statements_carrying_more_than_their_source_are_reified(exported: Graph) -> None:
    structure = {RDF.type, RDF.subject, RDF.predicate, RDF.object, ORG.member, ORG.organization}
    statements = set(exported.subjects(RDF.type, RDF.Statement))
    assert statements
    for statement in statements:
        said = {p for p in exported.predicates(statement) if p not in structure}
        predicate = exported.value(statement, RDF.predicate)
        assert said - {DCT.source} or predicate == DCT.source, statement
        # every reified statement is also asserted
        assert (exported.value(statement, RDF.subject), predicate, exported.value(statement, RDF.object)) in exported
    share = sum(1 for s, _, _ in exported if s in statements) / len(exported)
    assert share < 0.25, f"{share:.0%} of the triples are reification"
