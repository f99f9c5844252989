"""RDF export: the pilot export conforms to the SHACL shapes, personal data stays out, every
format parses with two independent parsers (rdflib, pyoxigraph) to the same triples, and the
ontology declares every term the export uses, mapped to real namespaces."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from graph_api.model import NODE_PROPERTIES, REL_TYPES
from graph_api.rdf import vocab
from graph_api.rdf.blocks import Block
from graph_api.rdf.context import build_context
from graph_api.rdf.export import export
from graph_api.rdf.generate import CONTEXT_FILE, ONTOLOGY_FILE, SHAPES_FILE, context_text
from graph_api.rdf.shapes import build_shapes
from graph_api.rdf.writers import write_jsonld, write_nq, write_nt, write_trig, write_ttl
from graph_api.store import Store

BASE = "https://copgraph.example.org/"
RDFLIB_FORMAT = {"nt": "nt", "nq": "nquads", "ttl": "turtle", "trig": "trig", "jsonld": "json-ld"}
OX_FORMAT = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
             "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
# The real namespaces of the vocabularies the mapping may use (from their specifications).
KNOWN_NAMESPACES = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2001/XMLSchema#", "http://www.w3.org/2002/07/owl#", "http://www.w3.org/ns/org#",
    "http://data.europa.eu/m8g/", "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#",
    "http://purl.org/dc/terms/", "http://purl.org/dc/elements/1.1/", "http://www.w3.org/ns/dcat#",
    "http://www.w3.org/ns/adms#", "http://xmlns.com/foaf/0.1/", "https://schema.org/",
    "http://dcat-ap.de/def/dcatde/", "http://purl.org/vocab/vann/", "http://www.w3.org/2006/time#",
}
CG = Namespace(vocab.CG)


@pytest.fixture(scope="module")
def pilot_nt(pilot_store: Store) -> str:
    return "".join(export(pilot_store, BASE, "nt"))


@pytest.fixture(scope="module")
def pilot_graph(pilot_nt: str) -> Graph:
    return Graph().parse(data=pilot_nt, format="nt")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


def test_pilot_export_conforms_to_the_shapes(pilot_graph: Graph, shapes: Graph) -> None:
    conforms, _, text = validate(pilot_graph, shacl_graph=shapes, inference="none")
    assert conforms, text[:4000]


def test_every_node_and_relationship_is_exported(pilot_store: Store, pilot_graph: Graph) -> None:
    for label, count in pilot_store.node_label_counts().items():
        assert len(set(pilot_graph.subjects(RDF.type, URIRef(vocab.CLASS[label])))) == count, label
    statements = set(pilot_graph.subjects(RDF.type, RDF.Statement))
    for rel_type, count in pilot_store.rel_type_counts().items():
        pairs = {(s, o) for predicate, name in vocab.REL_OF_PREDICATE.items() if name == rel_type
                 for s, o in pilot_graph.subject_objects(URIRef(predicate)) if s not in statements}
        assert len(pairs) == count, rel_type


def _violations(data: Graph, shapes: Graph) -> set[tuple[str, str]]:
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    return {(str(report.value(r, sh.focusNode)), str(report.value(r, sh.sourceConstraintComponent)).split("#")[1])
            for r in report.subjects(RDF.type, sh.ValidationResult)}


def _node(graph: Graph, iri: str, label: str, **values: object) -> URIRef:
    node = URIRef(iri)
    graph.add((node, RDF.type, URIRef(vocab.CLASS[label])))
    for key, value in values.items():
        prop = vocab.NODE_PROPS[label][key]
        graph.add((node, URIRef(prop.predicate), Literal(value, datatype=URIRef(prop.datatype))))
    return node


def test_broken_nodes_produce_the_expected_violations(shapes: Graph) -> None:
    graph = Graph()
    county = _node(graph, f"{BASE}id/county/13076", "County", name="Ludwigslust-Parchim", ags="13076")
    graph.add((county, URIRef(vocab.GEOCODING_LINK), URIRef(f"{vocab.GEOCODING}districtKey/13076")))
    graph.add((county, RDFS.label, Literal("Ludwigslust-Parchim")))
    graph.add((county, URIRef(vocab.REL_PREDICATE["PART_OF"]), URIRef(f"{BASE}id/state/13")))
    state = _node(graph, f"{BASE}id/state/13", "State", name="Mecklenburg-Vorpommern", ags="13")
    graph.add((state, URIRef(vocab.GEOCODING_LINK), URIRef(f"{vocab.GEOCODING}stateKey/13")))
    graph.add((state, RDFS.label, Literal("Mecklenburg-Vorpommern")))
    bad_ags = _node(graph, f"{BASE}id/municipality/13076108", "Municipality", name="Parchim", ags="1307610",
                    ars="130765659108")
    graph.add((bad_ags, RDFS.label, Literal("Parchim")))
    graph.add((bad_ags, URIRef(vocab.GEOCODING_LINK), URIRef(f"{vocab.GEOCODING}municipalityKey/1307610")))
    graph.add((bad_ags, URIRef(vocab.REL_PREDICATE["PART_OF"]), county))
    leaky = _node(graph, f"{BASE}id/actor/person-x", "Actor", name="Person X", role_label="Amtsleitung",
                  visibility="restricted")
    graph.add((leaky, RDFS.label, Literal("Amtsleitung")))
    graph.add((leaky, vocab_uri("foaf:mbox"), Literal("x@example.org")))
    adoption = _node(graph, f"{BASE}id/adoption/nothing", "Adoption", status="DONE")
    found = _violations(graph, shapes)
    assert (str(bad_ags), "PatternConstraintComponent") in found
    assert (str(leaky), "OrConstraintComponent") in found  # a restricted actor's name
    assert (str(leaky), "ClosedConstraintComponent") in found  # an e-mail address
    assert (str(adoption), "InConstraintComponent") in found
    assert (str(adoption), "MinCountConstraintComponent") in found  # no solution, no adopter
    assert not {f for f in found if f[0] in (str(county), f"{BASE}id/state/13")}


def vocab_uri(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef({"foaf": "http://xmlns.com/foaf/0.1/"}[prefix] + local)


def test_personal_data_is_not_exported(pilot_store: Store, pilot_graph: Graph, pilot_nt: str) -> None:
    actors = pilot_store.read("MATCH (a:Actor) RETURN a.id AS id, a.name AS name, a.visibility AS visibility, "
                              "a.email AS email, a.phone AS phone")
    restricted = [a for a in actors if a["visibility"] != "public"]
    public = [a for a in actors if a["visibility"] == "public"]
    assert restricted and public
    name = URIRef(vocab.NODE_PROPS["Actor"]["name"].predicate)
    for actor in restricted:
        subject = URIRef(vocab.node_iri(BASE, actor["id"]))
        assert pilot_graph.value(subject, name) is None
        assert Literal(actor["name"]) not in set(pilot_graph.objects(subject, None))
    for actor in public:
        assert str(pilot_graph.value(URIRef(vocab.node_iri(BASE, actor["id"])), name)) == actor["name"]
    for actor in actors:
        for secret in (actor["email"], actor["phone"]):
            assert not secret or secret not in pilot_nt


@pytest.mark.parametrize("fmt", list(RDFLIB_FORMAT))
def test_every_format_parses_to_the_same_triples_with_rdflib_and_pyoxigraph(
        fmt: str, pilot_store: Store, pilot_graph: Graph) -> None:
    text = "".join(export(pilot_store, BASE, fmt))
    parsed = Dataset()
    parsed.parse(data=text, format=RDFLIB_FORMAT[fmt])
    triples = Graph()
    for s, p, o, _ in parsed.quads((None, None, None, None)):
        triples.add((s, p, o))
    assert isomorphic(triples, pilot_graph)
    quads = list(ox.parse(io.BytesIO(text.encode()), OX_FORMAT[fmt]))
    assert {(q.subject.value, q.predicate.value, _oxigraph_value(q.object)) for q in quads} == \
        {(str(s), str(p), _value(o)) for s, p, o in pilot_graph}


def _value(term: object) -> tuple:
    """A term by value (JSON-LD processors write doubles in canonical form, e.g. 2.5E-1)."""
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), "@" + term.language)
        return ("literal", term.toPython(), str(term.datatype or vocab.XSD_STRING))
    return ("iri", str(term))


def _oxigraph_value(term: object) -> tuple:
    if isinstance(term, ox.Literal):
        if term.language:
            return _value(Literal(term.value, lang=term.language))
        return _value(Literal(term.value, datatype=URIRef(term.datatype.value)))
    return ("iri", term.value)


def test_named_graphs_recover_each_statements_source(pilot_store: Store) -> None:
    dataset = Dataset()
    dataset.parse(data="".join(export(pilot_store, BASE, "nq")), format="nquads")
    rows = pilot_store.read("MATCH (a:Actor)-[r:WORKS_FOR]->(b) WHERE r.source IS NOT NULL "
                            "RETURN a.id AS f, b.id AS t, r.source AS s")
    assert rows
    predicate = URIRef(vocab.REL_PREDICATE["WORKS_FOR"])
    for row in rows:
        graphs = {str(g) for _, _, _, g in dataset.quads((URIRef(vocab.node_iri(BASE, row["f"])), predicate,
                                                           URIRef(vocab.node_iri(BASE, row["t"])), None))}
        assert graphs == {vocab.node_iri(BASE, row["s"])}
    sourced = pilot_store.read("MATCH (n:Solution)-[:SOURCED_FROM]->(s:Source) RETURN n.id AS n, s.id AS s LIMIT 5")
    for row in sourced:
        graphs = {str(g) for _, _, _, g in dataset.quads((URIRef(vocab.node_iri(BASE, row["n"])),
                                                           URIRef(vocab.REL_PREDICATE["SOURCED_FROM"]),
                                                           URIRef(vocab.node_iri(BASE, row["s"])), None))}
        assert graphs == {vocab.node_iri(BASE, row["s"])}


TRICKY = ['quote " backslash \\ newline \n return \r tab \t', "bell \x07 delete \x7f nul \x00",
          "Umlaute äöüß, emoji 🚲, right-to-left \u05d0", ""]


@pytest.mark.parametrize("writer,fmt", [(write_nt, "nt"), (write_nq, "nq"), (write_ttl, "ttl"),
                                        (write_trig, "trig"), (write_jsonld, "jsonld")])
def test_escaping_round_trips_through_both_parsers(writer, fmt: str) -> None:  # noqa: ANN001
    name = vocab.NODE_PROPS["Solution"]["name"].predicate
    blocks = [Block(f"{BASE}id/solution/s{i}", f"{BASE}id/source/x" if i % 2 else None,
                    [(name, (text, vocab.XSD_STRING))]) for i, text in enumerate(TRICKY)]
    text = "".join(writer(blocks))
    parsed = Dataset()
    parsed.parse(data=text, format=RDFLIB_FORMAT[fmt])
    assert sorted(str(o) for _, _, o, _ in parsed.quads((None, None, None, None))) == sorted(TRICKY)
    quads = ox.parse(io.BytesIO(text.encode()), OX_FORMAT[fmt])
    assert sorted(q.object.value for q in quads) == sorted(TRICKY)


def test_numbers_and_booleans_keep_their_datatypes_in_every_format() -> None:
    props = vocab.NODE_PROPS["Municipality"]
    pairs = [(props["population"].predicate, (0, vocab.XSD_INTEGER)),
             (props["area_ha"].predicate, (1234.0, vocab.XSD_DOUBLE)),
             (props["several_postcodes"].predicate, (False, vocab.XSD_BOOLEAN))]
    blocks = [Block(f"{BASE}id/municipality/13076108", None, pairs)]
    expected = {(URIRef(p), Literal(value, datatype=URIRef(dt)).toPython()) for p, (value, dt) in pairs}
    for writer, fmt in ((write_nt, "nt"), (write_ttl, "ttl"), (write_jsonld, "jsonld")):
        graph = Graph().parse(data="".join(writer(blocks)), format=RDFLIB_FORMAT[fmt])
        assert {(p, o.toPython()) for _, p, o in graph} == expected, fmt
        assert {str(o.datatype) for o in graph.objects()} == {vocab.XSD_INTEGER, vocab.XSD_DOUBLE,
                                                              vocab.XSD_BOOLEAN}, fmt


def _exported_terms(graph: Graph) -> tuple[set[str], set[str]]:
    classes = {str(o) for o in graph.objects(None, RDF.type)}
    return classes, {str(p) for p in graph.predicates()}


def test_ontology_declares_every_term_the_export_uses(ontology: Graph, pilot_graph: Graph) -> None:
    classes, predicates = _exported_terms(pilot_graph)
    declared_classes = {str(s) for s in ontology.subjects(RDF.type, OWL.Class)}
    declared_properties = {str(s) for t in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                                            RDF.Property) for s in ontology.subjects(RDF.type, t)}
    assert classes - declared_classes == set()
    assert predicates - {str(RDF.type)} - declared_properties == set()
    every_term = {*vocab.CLASS.values(), *vocab.ALL_REL_PREDICATES,
                  *(p.predicate for props in vocab.NODE_PROPS.values() for p in props.values()),
                  *(p.predicate for props in vocab.REL_PROPS.values() for p in props.values())}
    assert every_term - declared_classes - declared_properties == set()


def test_ontology_covers_the_graph_model(ontology: Graph) -> None:
    elements = {str(o) for o in ontology.objects(None, CG.graphElement)}
    assert set(NODE_PROPERTIES) <= elements
    assert set(REL_TYPES) <= elements
    for label, props in vocab.NODE_PROPS.items():
        for name in props:
            assert f"{label}.{name}" in elements or name in ("name", "description", "url", "updated_by",
                                                               "updated_at", "kind"), f"{label}.{name}"


def test_own_terms_have_german_and_english_labels_and_comments(ontology: Graph) -> None:
    own = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(vocab.CG)}
    assert len(own) > 30
    for term in own:
        for prop in (RDFS.label, RDFS.comment):
            languages = {o.language for o in ontology.objects(term, prop)}
            assert {"de", "en"} <= languages, f"{term} {prop}"


def test_mappings_use_real_namespaces(ontology: Graph) -> None:
    mapping = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, RDFS.isDefinedBy)
    targets = {str(o) for p in mapping for o in ontology.objects(None, p)}
    targets |= {str(s) for s in ontology.subjects(RDF.type, None) if not str(s).startswith(vocab.CG)}
    targets.discard(vocab.ONTOLOGY_IRI)
    for target in targets:
        assert str(target).startswith(vocab.CG) or any(str(target).startswith(ns) for ns in KNOWN_NAMESPACES) \
            or target + "#" in KNOWN_NAMESPACES or target + "/" in KNOWN_NAMESPACES \
            or target.startswith(vocab.GEOCODING), target
    for prefix, namespace in vocab.NAMESPACES.items():
        assert prefix == "cg" or namespace in KNOWN_NAMESPACES, prefix


def test_geocoding_links_follow_dcat_ap_de(pilot_store: Store, pilot_graph: Graph) -> None:
    link = URIRef(vocab.GEOCODING_LINK)
    row = pilot_store.read("MATCH (m:Municipality) RETURN m.id AS id, m.ags AS ags, m.ars AS ars LIMIT 1")[0]
    links = {str(o) for o in pilot_graph.objects(URIRef(vocab.node_iri(BASE, row["id"])), link)}
    assert links == {f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{row['ags']}",
                     f"http://dcat-ap.de/def/politicalGeocoding/regionalKey/{row['ars']}"}
    county = pilot_store.read("MATCH (c:County) RETURN c.id AS id, c.ags AS ags LIMIT 1")[0]
    assert f"http://dcat-ap.de/def/politicalGeocoding/districtKey/{county['ags']}" in {
        str(o) for o in pilot_graph.objects(URIRef(vocab.node_iri(BASE, county["id"])), link)}


def test_committed_shapes_and_context_are_up_to_date() -> None:
    assert isomorphic(Graph().parse(SHAPES_FILE), build_shapes()), "run python -m graph_api.rdf.generate"
    assert CONTEXT_FILE.read_text(encoding="utf-8") == context_text(), "run python -m graph_api.rdf.generate"
    assert json.loads(CONTEXT_FILE.read_text(encoding="utf-8")) == build_context()


def test_jsonld_export_is_plain_readable_json(pilot_store: Store) -> None:
    document = json.loads("".join(export(pilot_store, BASE, "jsonld")))
    nodes = {n["@id"]: n for n in document["@graph"]}
    row = pilot_store.read("MATCH (m:Municipality)-[:PART_OF]->(p) RETURN m.id AS id, m.name AS name, "
                           "m.population AS population, p.id AS parent LIMIT 1")[0]
    node = nodes[vocab.node_iri(BASE, row["id"])]
    assert node["@type"] == "Municipality"
    assert node["name"] == row["name"]
    assert node["population"] == row["population"]
    assert node["containedInPlace"] == vocab.node_iri(BASE, row["parent"])


def test_base_iri_is_configurable(pilot_store: Store) -> None:
    text = "".join(export(pilot_store, "http://example.net/kg/", "nt"))
    assert "<http://example.net/kg/id/municipality/" in text
    assert BASE + "id/" not in text
