"""How the graph vocabulary of `graph_api.model` is written as RDF: one table, read both ways.

Public terms are used directly where one fits exactly (W3C ORG, SKOS, PROV-O, Dublin Core,
DCAT/ADMS, FOAF, schema.org); own terms in the fixed ontology namespace `cg:` only where none
does, and `ontology/copgraph.ttl` maps those to public ones. Export, import, the SHACL shapes
and the JSON-LD context are all derived from these tables, so they cannot drift apart.
Relationships become one triple `from predicate to`; a relationship that carries properties
(including its `source`) is also described by an `rdf:Statement` node with a hash IRI under
its start node, so every format carries the complete graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from graph_api import policy
from graph_api.model import (
    DEVELOPMENT_STATUSES,
    NODE_PROPERTIES,
    ORGANIZATION_KINDS,
    REL_TYPES,
    TERRITORY_LABELS,
    key_of,
    label_of,
    make_id,
)

ONTOLOGY_IRI = "https://copgraph.example.org/ontology"
CG = ONTOLOGY_IRI + "#"

NAMESPACES: dict[str, str] = {
    "cg": CG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "org": "http://www.w3.org/ns/org#",
    "cpov": "http://data.europa.eu/m8g/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "adms": "http://www.w3.org/ns/adms#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "time": "http://www.w3.org/2006/time#",
}
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return NAMESPACES[prefix] + local


RDF_TYPE = expand("rdf:type")
RDFS_LABEL = expand("rdfs:label")
XSD_STRING, XSD_INTEGER, XSD_DOUBLE = expand("xsd:string"), expand("xsd:integer"), expand("xsd:double")
XSD_BOOLEAN, XSD_DATE, XSD_DATETIME = expand("xsd:boolean"), expand("xsd:date"), expand("xsd:dateTime")
XSD_ANYURI = expand("xsd:anyURI")
RDF_STATEMENT = expand("rdf:Statement")
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = expand("rdf:subject"), expand("rdf:predicate"), expand("rdf:object")
ORG_MEMBERSHIP, ORG_MEMBER, ORG_ORGANIZATION = expand("org:Membership"), expand("org:member"), expand(
    "org:organization")
# A membership's role is an org:Role (a skos:Concept) named by its title, its period a time:Interval whose
# beginning and end are time:Instants with an xsd:date: what W3C ORG's own examples do.
ORG_ROLE_CLASS, ORG_ROLE, ORG_MEMBER_DURING = expand("org:Role"), expand("org:role"), expand("org:memberDuring")
TIME_INTERVAL, TIME_INSTANT = expand("time:Interval"), expand("time:Instant")
TIME_IN_XSD_DATE = expand("time:inXSDDate")
SKOS_PREF_LABEL = expand("skos:prefLabel")
# a unit of a formal organisation (ORG: org:unitOf, a sub-property of org:subOrganizationOf)
ORG_UNIT_OF = expand("org:unitOf")
# who publishes a solution (DCAT-AP/ADMS dct:publisher, an agent)
DCT_PUBLISHER = expand("dct:publisher")
SKOS_CONCEPT_SCHEME = expand("skos:ConceptScheme")
# a territory and the DCAT-AP.de political-geocoding concept of its key name the same unit (SKOS mapping,
# not owl:sameAs: the place and the vocabulary concept keep their own descriptions)
GEOCODING_LINK = expand("skos:exactMatch")
CPOV_PUBLIC_ORGANISATION = expand("cpov:PublicOrganisation")
ORG_ORGANIZATIONAL_UNIT = expand("org:OrganizationalUnit")
RDF_LANG_STRING = expand("rdf:langString")
ORG_KIND_SCHEME = expand("cg:OrganisationKinds")
SPDX = "http://spdx.org/licenses/"
# An object of a triple: (value, datatype); datatype None means the value is an IRI, "@de" a German string.
Obj = tuple[Any, str | None]

# One RDF class per node label (the class import reads the label back from).
CLASS: dict[str, str] = {
    "State": expand("schema:State"),
    "County": expand("cg:County"),
    "Association": expand("cg:MunicipalAssociation"),
    "Municipality": expand("cg:Municipality"),
    "Organization": expand("org:Organization"),
    "Actor": expand("foaf:Person"),
    "Solution": expand("adms:Asset"),
    "Concept": expand("skos:Concept"),
    "Adoption": expand("cg:Adoption"),
    "Project": expand("foaf:Project"),
    "Source": expand("cg:Source"),
    "Award": expand("cg:Award"),
    "Evidence": expand("cg:Evidence"),
    "ContactPoint": expand("schema:ContactPoint"),
    "Need": expand("cg:Need"),
}
LABEL_OF_CLASS = {iri: label for label, iri in CLASS.items()}
# Organisation kinds that are public organisations in the sense of the Core Public Organisation Vocabulary:
# an administration and an elected council (both organs of a territorial authority). Units are not.
PUBLIC_ORGANISATION_KINDS = frozenset({"ADMINISTRATION", "COUNCIL"})
# Organisation kinds that are org:OrganizationalUnits: an administration's departments, a council's committees.
# Their SUB_ORGANIZATION_OF link to an organisation that is not itself a unit is also org:unitOf.
UNIT_KINDS = frozenset({"DEPARTMENT", "COMMITTEE"})
# Organisation kinds as concepts of the SKOS scheme cg:OrganisationKinds (declared in the ontology), for
# org:classification: PUBLIC_ENTERPRISE -> cg:PublicEnterprise
ORG_KIND_CONCEPT: dict[str, str] = {kind: CG + "".join(part.capitalize() for part in kind.split("_"))
                                    for kind in ORGANIZATION_KINDS}
ORG_KIND_OF_CONCEPT = {iri: kind for kind, iri in ORG_KIND_CONCEPT.items()}
# Development statuses as concepts of the SKOS scheme cg:DevelopmentStatuses, for adms:status (which takes a
# concept, as in the ADMS status vocabulary): STABLE -> cg:StatusStable
DEV_STATUS_SCHEME = expand("cg:DevelopmentStatuses")
DEV_STATUS_CONCEPT: dict[str, str] = {status: CG + "Status" + status.capitalize() for status in DEVELOPMENT_STATUSES}
DEV_STATUS_OF_CONCEPT = {iri: status for status, iri in DEV_STATUS_CONCEPT.items()}


@dataclass(frozen=True)
class Prop:
    """A property written as `predicate` with literal datatype `datatype` (None: the value is an IRI).

    `language` marks human-language text (an `rdf:langString`); `to_iri`/`from_iri` turn a stored
    value into the IRI that is written and back (None from `from_iri`: not an IRI this property takes)."""

    predicate: str
    datatype: str | None = XSD_STRING
    language: str | None = None
    to_iri: Callable[[Any, str], str | None] | None = None
    from_iri: Callable[[str], Any] | None = None


def _german(curie_: str) -> Prop:
    return Prop(expand(curie_), language="de")


def _licence_iri(value: str, _base: str) -> str:
    """A licence as an IRI: an IRI stays, an SPDX identifier (EUPL-1.2) becomes its SPDX IRI."""
    return value if value.startswith(("http://", "https://")) else SPDX + quote(value, safe="")


def _licence_of(iri: str) -> str:
    return unquote(iri[len(SPDX):]) if iri.startswith(SPDX) else iri


_COMMON: dict[str, Prop] = {
    "name": Prop(expand("schema:name")),
    "description": _german("dct:description"),
    "url": Prop(expand("schema:url"), XSD_ANYURI),
    "kind": Prop(expand("cg:kind")),
    "updated_by": Prop(expand("cg:updatedBy")),
    "updated_at": Prop(expand("dct:modified"), XSD_DATETIME),
    "started_on": Prop(expand("schema:startDate"), XSD_DATE),
    "ended_on": Prop(expand("schema:endDate"), XSD_DATE),
    # the node is the OParl object (or other source record) at this IRI: its own key is derived from it
    "same_as": Prop(expand("owl:sameAs"), None, to_iri=lambda iri, _: iri, from_iri=str),
}
_TERRITORY: dict[str, Prop] = {
    "ags": Prop(expand("cg:ags")),
    "ars": Prop(expand("cg:ars")),
    "county_ags": Prop(expand("cg:countyAgs")),
    "kind_code": Prop(expand("cg:kindCode")),
    "seat": Prop(expand("cg:seat")),
    "population": Prop(expand("cg:population"), XSD_INTEGER),
    "area_ha": Prop(expand("cg:areaHectares"), XSD_DOUBLE),
    "postcode": Prop(expand("schema:postalCode")),
    "several_postcodes": Prop(expand("cg:severalPostcodes"), XSD_BOOLEAN),
}
_SPECIFIC: dict[str, dict[str, Prop]] = {
    "Organization": {"short_name": Prop(expand("schema:alternateName")), "legal_form": Prop(expand("cg:legalForm")),
                     "kind": Prop(expand("org:classification"), None, to_iri=lambda kind, _: ORG_KIND_CONCEPT.get(kind),
                                  from_iri=ORG_KIND_OF_CONCEPT.get)},
    "Actor": {"role_label": Prop(expand("cg:roleLabel")), "visibility": Prop(expand("cg:visibility"))},
    # an ADMS asset described as DCAT-AP expects: title and description in German, licence and page as IRIs
    "Solution": {"name": _german("dct:title"), "summary": _german("dct:description"),
                 "maturity": Prop(expand("cg:maturity")),
                 "url": Prop(expand("dcat:landingPage"), None, to_iri=lambda url, _: url, from_iri=str),
                 "licence": Prop(expand("dct:license"), None, to_iri=_licence_iri, from_iri=_licence_of),
                 "lifecycle_phase": Prop(expand("cg:lifecyclePhase")),
                 "development_status": Prop(expand("adms:status"), None,
                                            to_iri=lambda status, _: DEV_STATUS_CONCEPT.get(status),
                                            from_iri=DEV_STATUS_OF_CONCEPT.get),
                 "software_type": Prop(expand("cg:softwareType")),
                 "repository_url": Prop(expand("schema:codeRepository"), None, to_iri=lambda url, _: url,
                                        from_iri=str),
                 "maintenance_type": Prop(expand("cg:maintenanceType")),
                 "maintained_until": Prop(expand("cg:maintainedUntil"), XSD_DATE),
                 "lessons_learned": _german("cg:lessonsLearned"),
                 "cost_one_off_eur_min": Prop(expand("cg:costOneOffEurMin"), XSD_INTEGER),
                 "cost_one_off_eur_max": Prop(expand("cg:costOneOffEurMax"), XSD_INTEGER),
                 "cost_running_eur_per_year_min": Prop(expand("cg:costRunningEurPerYearMin"), XSD_INTEGER),
                 "cost_running_eur_per_year_max": Prop(expand("cg:costRunningEurPerYearMax"), XSD_INTEGER),
                 "effort_note": _german("cg:effortNote")},
    "Evidence": {"measure": _german("cg:measure"), "result": _german("cg:result"),
                 "measured_on": Prop(expand("dct:date"), XSD_DATE)},
    # schema.org's ContactPoint: the channel's purpose is its contactType
    "ContactPoint": {"kind": Prop(expand("cg:channelKind")), "value": Prop(expand("cg:channelValue")),
                     "label": _german("schema:contactType"), "visibility": Prop(expand("cg:visibility"))},
    "Need": {"status": Prop(expand("cg:needStatus")), "recorded_on": Prop(expand("dct:created"), XSD_DATE)},
    "Concept": {"label": _german("skos:prefLabel"),
                "scheme": Prop(expand("skos:inScheme"), None, to_iri=lambda name, base: scheme_iri(base, name),
                               from_iri=lambda iri: scheme_of_iri(iri)),
                "definition": _german("skos:definition")},
    "Adoption": {"status": Prop(expand("cg:adoptionStatus")), "outcome": _german("cg:outcome")},
    "Source": {"title": _german("dct:title"), "publisher": Prop(expand("dc:publisher")),
               "published_on": Prop(expand("dct:issued"), XSD_DATE),
               "illustrative": Prop(expand("cg:illustrative"), XSD_BOOLEAN), "note": _german("skos:note"),
               # a source's terms of use are free text (no licence IRI to point at)
               "licence": _german("dct:rights")},
}
# Where an asset's dct:publisher (DCAT-AP/ADMS: the agent making it available) comes from: per label, the
# relationship types whose organisation end publishes it, in order; the first type that names any organisation
# decides. The organisation a solution comes from, else the one maintaining it. A territory as originator is a
# place, not an agent, so it publishes nothing (its maintainer may).
PUBLISHER_RELS: dict[str, tuple[str, ...]] = {"Solution": ("ORIGINATED_BY", "MAINTAINED_BY")}


def publisher_of(label: str, out_rels: list[tuple[str, str]]) -> str | None:
    """The id of the organisation publishing a node, from its outgoing (rel type, target id) pairs; None when
    the data names none, or several (DCAT-AP allows one publisher: none rather than an arbitrary one)."""
    for rel_type in PUBLISHER_RELS.get(label, ()):
        organisations = sorted({t for r, t in out_rels if r == rel_type and label_of(t) == "Organization"})
        if organisations:
            return organisations[0] if len(organisations) == 1 else None
    return None


# Personal contact data never leaves the store (it is not even mapped); what else of an actor is published
# is the anonymous view of `graph_api.policy` (see `exported_values`).
WITHHELD: dict[str, frozenset[str]] = {"Actor": policy.CONTACT_PROPERTIES}


def _node_props(label: str) -> dict[str, Prop]:
    table = {**_COMMON, **(_TERRITORY if label in TERRITORY_LABELS else {}), **_SPECIFIC.get(label, {})}
    withheld = WITHHELD.get(label, frozenset())
    return {p: table[p] for p in NODE_PROPERTIES[label] if p not in withheld}


NODE_PROPS: dict[str, dict[str, Prop]] = {label: _node_props(label) for label in NODE_PROPERTIES}

REL_PREDICATE: dict[str, str] = {
    "PART_OF": expand("schema:containedInPlace"),
    "ADMINISTERS": expand("cg:administers"),
    "SERVES": expand("schema:areaServed"),
    "OWNED_BY": expand("cg:ownedBy"),
    "SUB_ORGANIZATION_OF": expand("org:subOrganizationOf"),
    "MEMBER_OF": expand("org:memberOf"),
    "WORKS_FOR": expand("schema:worksFor"),
    "KNOWS": expand("foaf:knows"),
    "PARTICIPATES_IN": expand("cg:participatesIn"),
    "OF": expand("prov:used"),
    "BY": expand("cg:adopter"),
    "LEARNED_FROM": expand("prov:wasInformedBy"),
    "CONTACT": expand("cg:contact"),
    "IN_PROJECT": expand("cg:inProject"),
    "ADDRESSES": expand("cg:addresses"),
    "IN_CATEGORY": expand("dcat:theme"),
    "ORIGINATED_BY": expand("cg:originatedBy"),
    "BROADER": expand("skos:broader"),
    "RECEIVED": expand("cg:received"),
    "GRANTED_BY": expand("cg:grantedBy"),
    "FUNDED_BY": expand("cg:fundedBy"),
    "MAINTAINED_BY": expand("cg:maintainedBy"),
    "DERIVED_FROM": expand("prov:wasDerivedFrom"),
    "IMPLEMENTS_SERVICE": expand("cg:implementsService"),
    "EVIDENCE_OF": expand("cg:evidenceOf"),
    "HAS_CONTACT_POINT": expand("schema:contactPoint"),
    "NEEDED_BY": expand("cg:neededBy"),
    "CONCERNS": expand("cg:concerns"),
    "RECORDED_BY": expand("dct:creator"),
    "MATCHED_WITH": expand("cg:matchedWith"),
    "SOURCED_FROM": expand("dct:source"),
}
# Places are not agents. Where the agent end of one of these relationships is an official territory
# (a dct:Location), the agent predicate (cg:adopter ⊑ prov:wasAssociatedWith, cg:originatedBy ⊑
# prov:wasAttributedTo, org:memberOf with domain foaf:Agent, ownership) is replaced by one that says
# the local authority of that place acts, without making the place an agent under RDFS inference.
# rel type -> (the end that would be the agent, predicate used when that end is a territory)
PLACE_PREDICATE: dict[str, tuple[str, str]] = {
    "BY": ("to", expand("cg:adoptedIn")),
    "ORIGINATED_BY": ("to", expand("cg:originatedIn")),
    "NEEDED_BY": ("to", expand("cg:neededIn")),
    "OWNED_BY": ("to", expand("cg:ownedByAuthorityOf")),
    "MEMBER_OF": ("from", expand("cg:authorityMemberOf")),
}


def rel_predicate(rel_type: str, from_label: str | None, to_label: str | None) -> str:
    """The predicate of one relationship, given the labels of its ends (see PLACE_PREDICATE)."""
    variant = PLACE_PREDICATE.get(rel_type)
    if variant is not None and (to_label if variant[0] == "to" else from_label) in TERRITORY_LABELS:
        return variant[1]
    return REL_PREDICATE[rel_type]


def rel_predicate_of_ids(rel_type: str, from_id: str, to_id: str) -> str:
    return rel_predicate(rel_type, label_of(from_id), label_of(to_id))


def rel_predicates(rel_type: str, from_label: str) -> dict[str, list[str]]:
    """predicate -> the target labels it joins `from_label` to, for one relationship type."""
    out: dict[str, list[str]] = {}
    for a, b in REL_TYPES[rel_type].pairs:
        if a == from_label:
            out.setdefault(rel_predicate(rel_type, a, b), []).append(b)
    return out


ALL_REL_PREDICATES: tuple[str, ...] = (*REL_PREDICATE.values(), *(p for _, p in PLACE_PREDICATE.values()))
REL_OF_PREDICATE = {**{iri: name for name, iri in REL_PREDICATE.items()},
                    **{iri: name for name, (_, iri) in PLACE_PREDICATE.items()}}
assert set(REL_PREDICATE) == set(REL_TYPES), "every relationship type needs a predicate"
assert len(REL_OF_PREDICATE) == len(ALL_REL_PREDICATES), "relationship predicates must be distinct"

# Properties of relationships, written on the relationship's rdf:Statement node.
_REL_PROP: dict[str, Prop] = {
    "share": Prop(expand("cg:share"), XSD_DOUBLE),
    "since": Prop(expand("schema:startDate"), XSD_DATE),
    "until": Prop(expand("schema:endDate"), XSD_DATE),
    "role": Prop(expand("schema:roleName")),
    "context": Prop(expand("cg:context")),
    "year": Prop(expand("cg:year"), XSD_INTEGER),
    "round": Prop(expand("cg:round"), XSD_INTEGER),
    "source": Prop(expand("dct:source"), None),
}
# Relationship types whose Statement node is also an org:Membership (member, organisation).
MEMBERSHIP_RELS = frozenset({"WORKS_FOR", "MEMBER_OF"})


def role_iri(base: str, title: str) -> str:
    """`{base}id/role/{title, percent-encoded}`: one org:Role per title, shared by every membership holding it."""
    return f"{base}id/{ROLE_SEGMENT}/{quote(title, safe='')}"


def role_of_iri(iri: str) -> str | None:
    match = _NODE_IRI_RE.match(iri)
    return unquote(match["key"]) if match and match["type"] == ROLE_SEGMENT and unquote(match["key"]) else None


# A membership's title is its org:role; its period (since, until) is written on its org:memberDuring interval
# as the time:Instants of these predicates, not on the Statement itself.
_MEMBERSHIP_PROP: dict[str, Prop] = {
    "title": Prop(ORG_ROLE, None, to_iri=lambda title, base: role_iri(base, title), from_iri=role_of_iri),
}
DURING_ENDS: dict[str, str] = {"since": expand("time:hasBeginning"), "until": expand("time:hasEnd")}
REL_PROPS: dict[str, dict[str, Prop]] = {
    name: {p: (_MEMBERSHIP_PROP.get(p) or _REL_PROP[p]) if name in MEMBERSHIP_RELS else _REL_PROP[p]
           for p in rel.properties if not (name in MEMBERSHIP_RELS and p in DURING_ENDS)}
    for name, rel in REL_TYPES.items()
}

def node_object(prop: Prop, value: Any, base: str) -> Obj | None:
    """The object a stored property value is written as (an IRI, a German string or a typed literal);
    None for a value the property has no IRI for (an organisation kind outside the model's list)."""
    if prop.to_iri is not None:
        iri = prop.to_iri(value, base)
        return (iri, None) if iri is not None else None
    if prop.language:
        return value, "@" + prop.language
    return value, prop.datatype


for _label, _props in NODE_PROPS.items():
    _preds = [p.predicate for p in _props.values()]
    assert len(_preds) == len(set(_preds)), f"{_label}: two properties share a predicate"


# ---- IRIs ------------------------------------------------------------------------------------
_SEGMENT_OF = {label: label.lower() for label in NODE_PROPERTIES}
_LABEL_OF_SEGMENT = {v: k for k, v in _SEGMENT_OF.items()}
_NODE_IRI_RE = re.compile(r"^(?P<base>.*/)id/(?P<type>[a-z]+)/(?P<key>[^/#?]+)$")
SCHEME_SEGMENT = "scheme"
ROLE_SEGMENT = "role"


# What a key cannot carry into an IRI as it is: what RFC 3987 allows nowhere (controls, space, <>"{}|^`\,
# surrogates, private use, non-characters), the delimiters that would change the IRI's structure (/ ? #) and
# `%` itself, so that decoding gives the key back exactly. Written percent-encoded (UTF-8): N-Triples' \u
# escapes cannot stand in for them, since the unescaped IRI must still be an IRI (rapper and serdi refuse
# `\u0020`). Slugs and official keys contain none of these, so their IRIs are what they always were.
_KEY_UNSAFE = re.compile('[\x00-\x20\x7f-\x9f<>"{}|^`\\\\%/?#\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufff0-\uffff]')


def _percent(match: re.Match[str]) -> str:
    return quote(match.group().encode("utf-8", "surrogatepass"), safe="")


def key_needs_encoding(text: str) -> bool:
    """Whether `text` (a key, or many keys joined) holds a character `iri_key` encodes."""
    return _KEY_UNSAFE.search(text) is not None


def iri_key(key: str) -> str:
    """A node key (or scheme name) as it appears in an IRI: see `_KEY_UNSAFE`; `unquote` reverses it."""
    return _KEY_UNSAFE.sub(_percent, key) if _KEY_UNSAFE.search(key) else key


def node_iri(base: str, node_id: str) -> str:
    """`{base}id/{type-lowercase}/{key}` for a node id `Type:key` (the contract's IRI scheme)."""
    label = label_of(node_id)
    if label is None:
        raise ValueError(f"not a node id: {node_id!r}")
    return f"{base}id/{_SEGMENT_OF[label]}/{iri_key(key_of(node_id))}"


def id_of_iri(iri: str) -> str | None:
    """The node id an IRI of the contract's scheme names (any base), or None."""
    match = _NODE_IRI_RE.match(iri)
    if not match or match["type"] not in _LABEL_OF_SEGMENT:
        return None
    return make_id(_LABEL_OF_SEGMENT[match["type"]], unquote(match["key"]))


def label_of_segment(segment: str) -> str | None:
    return _LABEL_OF_SEGMENT.get(segment)


def scheme_iri(base: str, scheme: str) -> str:
    return f"{base}id/{SCHEME_SEGMENT}/{iri_key(scheme)}"


def scheme_of_iri(iri: str) -> str | None:
    match = _NODE_IRI_RE.match(iri)
    return unquote(match["key"]) if match and match["type"] == SCHEME_SEGMENT else None


def statement_iri(base: str, rel_type: str, from_id: str, to_id: str) -> str:
    """Hash IRI under the start node: dereferencing the node describes its relationships too."""
    to_label = label_of(to_id) or ""
    fragment = f"{rel_type.lower().replace('_', '-')}-{_SEGMENT_OF[to_label]}-{iri_key(key_of(to_id))}"
    return f"{node_iri(base, from_id)}#{fragment}"


def interval_iri(statement: str) -> str:
    """The org:memberDuring interval of a membership, and (`interval_end_iri`) its beginning and end: hash IRIs
    beside the membership's, so they are described (and replaced) together with the node stating them."""
    return f"{statement}-during"


def interval_end_iri(statement: str, end: str) -> str:
    return f"{statement}-{'begin' if end == 'since' else 'end'}"


def geocoding_iris(label: str, props: dict) -> list[str]:
    """DCAT-AP.de political-geocoding IRIs of an official territory (from its AGS / ARS)."""
    ags, ars = props.get("ags"), props.get("ars")
    out = []
    if label == "Municipality" and ags:
        out.append(f"{GEOCODING}municipalityKey/{ags}")
    elif label == "Association" and ars:
        out.append(f"{GEOCODING}municipalAssociationKey/{ars[:9]}")
    elif label == "County" and ags:
        out.append(f"{GEOCODING}districtKey/{ags}")
    elif label == "State" and ags:
        out.append(f"{GEOCODING}stateKey/{ags}")
    if ars and len(ars) == 12 and ars.isdigit():
        out.append(f"{GEOCODING}regionalKey/{ars}")
    return out


# what names a node that has no name: a channel its purpose or address, evidence its measure, a need its text
_LABEL_KEYS: dict[str, tuple[str, ...]] = {"ContactPoint": ("label", "value", "kind"), "Evidence": ("measure",),
                                           "Need": ("description",)}


def display_label(label: str, props: dict) -> str | None:
    """The rdfs:label of a node: what a reader should see for it (never a withheld name)."""
    if label == "Actor":
        return policy.display_name(props, policy.ANONYMOUS)
    if label == "ContactPoint":
        props = policy.contact_point_view(props, policy.ANONYMOUS)
    for key in _LABEL_KEYS.get(label, ("name", "label", "title")):
        if props.get(key):
            return props[key]
    return None


def exported_values(label: str, props: dict) -> dict:
    """The node's properties that may be published: for an actor, what anonymous callers may see."""
    if label == "Actor":
        props = policy.actor_view(props, policy.ANONYMOUS)
    elif label == "ContactPoint":
        props = policy.contact_point_view(props, policy.ANONYMOUS)
    return {k: v for k, v in props.items() if k in NODE_PROPS[label] and v is not None and v != ""}


def exported_rel_values(rel_type: str, from_id: str, to_id: str, props: dict, actors: dict[str, dict]) -> dict:
    """A relationship's properties that may be published; `actors` holds the known properties of Actor
    ends by id (an Actor end not in it counts as restricted: the export withholds what it cannot check)."""
    ends = [actors.get(end) for end in (from_id, to_id) if label_of(end) == "Actor"]
    return policy.rel_view(rel_type, props, ends, policy.ANONYMOUS)


def curie(iri: str) -> str:
    """Compact form `prefix:local` when a known namespace matches, else the IRI itself."""
    for prefix, ns in NAMESPACES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
