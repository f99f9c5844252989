"""The JSON-LD context of the export, derived from `vocab` (committed as `ontology/context.jsonld`).

Every predicate gets a short term (its local name) with the datatype or `@id` coercion the
N-Triples export uses, so the compact JSON reads like plain JSON and expands to exactly the
same triples. `python -m graph_api.rdf.generate` rewrites the committed file; a test compares.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graph_api.rdf import vocab as v


def _local(iri: str) -> str:
    return v.curie(iri).partition(":")[2]


def _predicates() -> dict[str, str | None]:
    """Every predicate the export writes -> its datatype (None: IRI-valued, "@de": German text)."""
    out: dict[str, str | None] = {v.RDFS_LABEL: v.XSD_STRING, v.GEOCODING_LINK: None, v.RDF_SUBJECT: None,
                                  v.RDF_PREDICATE: None, v.RDF_OBJECT: None, v.ORG_MEMBER: None,
                                  v.ORG_ORGANIZATION: None, v.ORG_MEMBER_DURING: None, v.TIME_IN_XSD_DATE: v.XSD_DATE,
                                  v.SKOS_PREF_LABEL: "@de", v.ORG_UNIT_OF: None, v.DCT_PUBLISHER: None,
                                  **{end: None for end in v.DURING_ENDS.values()}}
    for props in v.NODE_PROPS.values():
        out.update({p.predicate: "@" + p.language if p.language else p.datatype for p in props.values()})
    for props in v.REL_PROPS.values():
        out.update({p.predicate: p.datatype for p in props.values()})
    out.update({predicate: None for predicate in v.ALL_REL_PREDICATES})
    return out


def _classes() -> list[str]:
    return [*v.CLASS.values(), v.CPOV_PUBLIC_ORGANISATION, v.ORG_ORGANIZATIONAL_UNIT, v.RDF_STATEMENT, v.ORG_MEMBERSHIP,
            v.SKOS_CONCEPT_SCHEME, v.ORG_ROLE_CLASS, v.TIME_INTERVAL, v.TIME_INSTANT]


PREDICATE_DATATYPES = _predicates()
# where two vocabularies use one local name: dc:publisher (a source's publisher, text) keeps `publisher`
TERM_OVERRIDES = {v.DCT_PUBLISHER: "dctPublisher"}
TERM_OF_PREDICATE = {iri: TERM_OVERRIDES.get(iri) or _local(iri) for iri in PREDICATE_DATATYPES}
TERM_OF_CLASS = {iri: _local(iri) for iri in _classes()}
assert len(set(TERM_OF_PREDICATE.values())) == len(TERM_OF_PREDICATE), "JSON-LD terms must be unique"
assert not set(TERM_OF_PREDICATE.values()) & set(TERM_OF_CLASS.values())


@cache
def build_context() -> dict[str, Any]:
    context: dict[str, Any] = {prefix: ns for prefix, ns in v.NAMESPACES.items()}
    for iri in _classes():
        context[TERM_OF_CLASS[iri]] = v.curie(iri)
    for iri, datatype in PREDICATE_DATATYPES.items():
        term = TERM_OF_PREDICATE[iri]
        if datatype is None:
            context[term] = {"@id": v.curie(iri), "@type": "@id"}
        elif datatype.startswith("@"):
            context[term] = {"@id": v.curie(iri), "@language": datatype[1:]}
        elif datatype in (v.XSD_STRING, v.XSD_BOOLEAN):
            context[term] = v.curie(iri)
        else:
            context[term] = {"@id": v.curie(iri), "@type": v.curie(datatype)}
    return {"@context": context}
