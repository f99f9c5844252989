"""SHACL shapes for every exported class, derived from `vocab` and `graph_api.model`.

Generating the shapes from the same tables as the export keeps them complete (every property
and relationship of a class has a property shape, and the shapes are closed, so a stray triple
such as an e-mail address is a violation). What the tables cannot say is stated here: which
properties are required, the key patterns of official territories and the enumerations.
`python -m graph_api.rdf.generate` writes `ontology/shapes.ttl`; a test compares.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from graph_api.model import (
    ADOPTION_STATUSES,
    CONTACT_POINT_KINDS,
    DEVELOPMENT_STATUSES,
    LIFECYCLE_PHASES,
    MAINTENANCE_TYPES,
    NEED_STATUSES,
    NODE_PROPERTIES,
    ORGANIZATION_KINDS,
    TERRITORY_LABELS,
)
from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import out_rel_types
from graph_api.rdf.integrity import CONSTRAINTS, shacl_message, shacl_select

CGS = Namespace(v.ONTOLOGY_IRI + "/shapes#")

REQUIRED: dict[str, tuple[str, ...]] = {
    "State": ("name", "ags"), "County": ("name", "ags"), "Association": ("name", "ars"),
    "Municipality": ("name", "ags", "ars"), "Organization": ("name", "kind"), "Actor": ("role_label", "visibility"),
    "Solution": ("name",), "Concept": ("label", "scheme"), "Adoption": ("status",), "Project": ("name",),
    "Source": ("title",), "Award": ("name",), "Evidence": ("measure", "result"),
    "ContactPoint": ("kind", "visibility"), "Need": ("status", "recorded_on"),
}
PATTERNS: dict[tuple[str, str], str] = {
    ("State", "ags"): r"^[0-9]{2}$", ("County", "ags"): r"^[0-9]{5}$", ("Municipality", "ags"): r"^[0-9]{8}$",
    ("Municipality", "county_ags"): r"^[0-9]{5}$", ("Association", "county_ags"): r"^[0-9]{5}$",
    **{(label, "ars"): r"^[0-9]{12}$" for label in TERRITORY_LABELS},
}
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Adoption", "status"): ADOPTION_STATUSES, ("Organization", "kind"): ORGANIZATION_KINDS,
    ("Actor", "visibility"): ("public", "restricted"),
    ("Solution", "lifecycle_phase"): LIFECYCLE_PHASES, ("Solution", "development_status"): DEVELOPMENT_STATUSES,
    ("Solution", "maintenance_type"): MAINTENANCE_TYPES, ("ContactPoint", "kind"): CONTACT_POINT_KINDS,
    ("ContactPoint", "visibility"): ("public", "restricted"), ("Need", "status"): NEED_STATUSES,
}
# labels named by what they join, not by a property of their own (no rdfs:label required)
UNNAMED = ("Adoption", "Need")
KEY_PATTERNS = {"State": "[0-9]{2}", "County": "[0-9]{5}", "Association": "[0-9]{9}", "Municipality": "[0-9]{8}"}
# (label, relationship) -> (min, max) where the graph's structure fixes the cardinality
REL_CARDINALITY: dict[tuple[str, str], tuple[int, int]] = {
    ("Adoption", "OF"): (1, 1), ("Adoption", "BY"): (1, 1), ("Need", "NEEDED_BY"): (1, 1),
    ("Municipality", "PART_OF"): (1, 1), ("Association", "PART_OF"): (1, 1), ("County", "PART_OF"): (1, 1),
}


def _list(graph: Graph, items: list) -> BNode:
    head = BNode()
    Collection(graph, head, items)
    return head


def _property(graph: Graph, shape: URIRef, path: str, *, datatype: str | None = None, iri: bool = False,
              min_count: int = 0, max_count: int | None = None, pattern: str | None = None,
              values: tuple[str, ...] | None = None, classes: list[str] | None = None,
              language: str | None = None) -> BNode:
    node = BNode()
    graph.add((shape, SH.property, node))
    graph.add((node, SH.path, URIRef(path)))
    if language:
        graph.add((node, SH.datatype, RDF.langString))
        graph.add((node, SH.languageIn, _list(graph, [Literal(language)])))
    elif datatype:
        graph.add((node, SH.datatype, URIRef(datatype)))
    if iri:
        graph.add((node, SH.nodeKind, SH.IRI))
    if min_count:
        graph.add((node, SH.minCount, Literal(min_count)))
    if max_count is not None:
        graph.add((node, SH.maxCount, Literal(max_count)))
    if pattern:
        graph.add((node, SH.pattern, Literal(pattern)))
    if values:
        graph.add((node, SH["in"], _list(graph, [URIRef(x) if iri else Literal(x) for x in values])))
    if classes:
        if len(classes) == 1:
            graph.add((node, SH["class"], URIRef(classes[0])))
        else:
            alternatives = []
            for cls in classes:
                alt = BNode()
                graph.add((alt, SH["class"], URIRef(cls)))
                alternatives.append(alt)
            graph.add((node, SH["or"], _list(graph, alternatives)))
    return node


def _integrity_shape(graph: Graph) -> None:
    """The cross-checks of `graph_api.rdf.integrity`, each run once over the whole data graph."""
    shape = CGS["IntegrityShape"]
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetNode, URIRef(v.ONTOLOGY_IRI)))
    for constraint in CONSTRAINTS:
        node = CGS[constraint.name]
        graph.add((shape, SH.sparql, node))
        graph.add((node, RDF.type, SH.SPARQLConstraint))
        graph.add((node, SH.message, Literal(shacl_message(constraint))))
        graph.add((node, SH.select, Literal(shacl_select(constraint))))


def _node_shape(graph: Graph, label: str) -> None:
    shape = CGS[f"{label}Shape"]
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetClass, URIRef(v.CLASS[label])))
    graph.add((shape, SH.nodeKind, SH.IRI))
    key = KEY_PATTERNS.get(label, "[a-z0-9]+(-[a-z0-9]+)*")
    graph.add((shape, SH.pattern, Literal(f"/id/{label.lower()}/{key}$")))
    graph.add((shape, SH.closed, Literal(True)))
    graph.add((shape, SH.ignoredProperties, _list(graph, [RDF.type])))
    required = REQUIRED.get(label, ())
    named = label not in UNNAMED
    _property(graph, shape, v.RDFS_LABEL, datatype=v.XSD_STRING, min_count=1 if named else 0, max_count=1)
    for name, prop in v.NODE_PROPS[label].items():
        values = ENUMS.get((label, name))
        if values and prop.to_iri is not None:
            values = tuple(iri for iri in (prop.to_iri(x, "") for x in values) if iri)
        _property(graph, shape, prop.predicate, datatype=prop.datatype, iri=prop.datatype is None,
                  min_count=1 if name in required else 0, max_count=1, pattern=PATTERNS.get((label, name)),
                  values=values, language=prop.language,
                  classes=[v.SKOS_CONCEPT_SCHEME] if name == "scheme" else None)
    if label == "Organization":  # units (departments, committees) are also org:unitOf what they are part of
        _property(graph, shape, v.ORG_UNIT_OF, iri=True, classes=[v.CLASS["Organization"]])
    if label in v.PUBLISHER_RELS:
        _property(graph, shape, v.DCT_PUBLISHER, iri=True, max_count=1, classes=[v.CLASS["Organization"]])
    if label in TERRITORY_LABELS:
        _property(graph, shape, v.GEOCODING_LINK, iri=True, min_count=1, max_count=2,
                  pattern=f"^{v.GEOCODING}(municipalityKey|municipalAssociationKey|districtKey|stateKey|regionalKey)/"
                          "[0-9]+$")
    for rel_type in out_rel_types(label):
        predicates = v.rel_predicates(rel_type, label)
        low, high = REL_CARDINALITY.get((label, rel_type), (0, None))
        for predicate, targets in sorted(predicates.items()):
            _property(graph, shape, predicate, iri=True, min_count=low if len(predicates) == 1 else 0,
                      max_count=high, classes=[v.CLASS[t] for t in sorted(set(targets))])
        if low and len(predicates) > 1:  # e.g. an adoption has one adopter: an organisation or a place
            alternatives = []
            for predicate in sorted(predicates):
                alternative = BNode()
                _property(graph, alternative, predicate, min_count=1)
                alternatives.append(alternative)
            graph.add((shape, SH.xone, _list(graph, alternatives)))
    if label in _WITHHELD_UNLESS_PUBLIC:  # personal data: a name (an address) only when public
        withheld, message = _WITHHELD_UNLESS_PUBLIC[label]
        public, nameless = BNode(), BNode()
        graph.add((public, SH.path, URIRef(v.NODE_PROPS[label]["visibility"].predicate)))
        graph.add((public, SH.hasValue, Literal("public")))
        graph.add((nameless, SH.path, URIRef(v.NODE_PROPS[label][withheld].predicate)))
        graph.add((nameless, SH.maxCount, Literal(0)))
        alt_public, alt_nameless = BNode(), BNode()
        graph.add((alt_public, SH.property, public))
        graph.add((alt_nameless, SH.property, nameless))
        graph.add((shape, SH["or"], _list(graph, [alt_public, alt_nameless])))
        graph.add((shape, SH.message, Literal(message)))


# label -> (property published only when the node is public, the violation's message)
_WITHHELD_UNLESS_PUBLIC = {"Actor": ("name", "A restricted actor's name must not be published"),
                           "ContactPoint": ("value", "A restricted contact channel's address must not be published")}


def _statement_shape(graph: Graph) -> None:
    shape = CGS["StatementShape"]
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetClass, RDF.Statement))
    graph.add((shape, SH.closed, Literal(True)))
    graph.add((shape, SH.ignoredProperties,
               _list(graph, [RDF.type, URIRef(v.ORG_MEMBER), URIRef(v.ORG_ORGANIZATION)])))
    _property(graph, shape, v.RDF_SUBJECT, iri=True, min_count=1, max_count=1)
    _property(graph, shape, v.RDF_OBJECT, iri=True, min_count=1, max_count=1)
    predicates = _list(graph, [URIRef(p) for p in v.ALL_REL_PREDICATES])
    node = BNode()
    graph.add((shape, SH.property, node))
    graph.add((node, SH.path, RDF.predicate))
    graph.add((node, SH.minCount, Literal(1)))
    graph.add((node, SH.maxCount, Literal(1)))
    graph.add((node, SH["in"], predicates))
    seen: set[str] = set()
    for props in v.REL_PROPS.values():
        for name, prop in props.items():
            if prop.predicate in seen:
                continue
            seen.add(prop.predicate)
            classes = {"source": [v.CLASS["Source"]]}.get(name) or ([v.ORG_ROLE_CLASS] if prop.predicate == v.ORG_ROLE
                                                                    else None)
            _property(graph, shape, prop.predicate, datatype=prop.datatype, iri=prop.datatype is None, max_count=1,
                      classes=classes)
    _property(graph, shape, v.ORG_MEMBER_DURING, iri=True, max_count=1, classes=[v.TIME_INTERVAL])


def _membership_shapes(graph: Graph) -> None:
    """A membership's role (named by its title) and its period: an interval of one or two dated instants."""
    role = CGS["RoleShape"]
    graph.add((role, RDF.type, SH.NodeShape))
    graph.add((role, SH.targetClass, URIRef(v.ORG_ROLE_CLASS)))
    graph.add((role, SH.nodeKind, SH.IRI))
    graph.add((role, SH.pattern, Literal(f"/id/{v.ROLE_SEGMENT}/[^/#?]+$")))
    graph.add((role, SH.closed, Literal(True)))
    graph.add((role, SH.ignoredProperties, _list(graph, [RDF.type])))
    _property(graph, role, v.SKOS_PREF_LABEL, language="de", min_count=1, max_count=1)
    interval = CGS["IntervalShape"]
    graph.add((interval, RDF.type, SH.NodeShape))
    graph.add((interval, SH.targetClass, URIRef(v.TIME_INTERVAL)))
    graph.add((interval, SH.nodeKind, SH.IRI))
    graph.add((interval, SH.closed, Literal(True)))
    graph.add((interval, SH.ignoredProperties, _list(graph, [RDF.type])))
    for end in v.DURING_ENDS.values():
        _property(graph, interval, end, iri=True, max_count=1, classes=[v.TIME_INSTANT])
    instant = CGS["InstantShape"]
    graph.add((instant, RDF.type, SH.NodeShape))
    graph.add((instant, SH.targetClass, URIRef(v.TIME_INSTANT)))
    graph.add((instant, SH.nodeKind, SH.IRI))
    graph.add((instant, SH.closed, Literal(True)))
    graph.add((instant, SH.ignoredProperties, _list(graph, [RDF.type])))
    _property(graph, instant, v.TIME_IN_XSD_DATE, datatype=v.XSD_DATE, min_count=1, max_count=1)



def _scheme_shape(graph: Graph) -> None:
    shape = CGS["ConceptSchemeShape"]
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetClass, URIRef(v.SKOS_CONCEPT_SCHEME)))
    _property(graph, shape, v.RDFS_LABEL, datatype=v.XSD_STRING, min_count=1, max_count=1)


def build_shapes() -> Graph:
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("cgs", CGS)
    graph.bind("xsd", XSD)
    graph.bind("rdfs", RDFS)
    for prefix, ns in v.NAMESPACES.items():
        graph.bind(prefix, Namespace(ns))
    for label in NODE_PROPERTIES:
        _node_shape(graph, label)
    _statement_shape(graph)
    _membership_shapes(graph)
    _scheme_shape(graph)
    _integrity_shape(graph)
    return graph
