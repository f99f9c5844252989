"""Cross-checks no per-property shape can state, as SHACL-SPARQL constraints with one definition.

Each constraint is one SPARQL SELECT over the whole graph whose rows are violations (`?node`,
`?value`). `graph_api.rdf.shapes` writes them into `ontology/shapes.ttl` as `sh:sparql`
constraints of one shape targeting the ontology's IRI, so any SHACL-SPARQL processor (e.g.
pyshacl) runs each once instead of once per node: per focus node, pyshacl took 80 s on the
pilot export for what one query per constraint does in 2 s. `violations` runs the same texts
with pyoxigraph's SPARQL engine (rdflib's took 30 s on the full-Germany export), so `copgraph load
rdf` refuses a file that breaks one before anything is written, without a SHACL processor at run
time; the tests check that pyshacl and the loader find the same breaks. The checks: an official
key agrees with the IRI's key and with the regional key (AGS = IRI key = ARS prefix), every
political-geocoding link names the territory's own key, ownership shares lie in 0..1 and sum to
at most 1 per organisation, and every reified statement is also asserted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph_api.rdf import vocab as v

_AGS, _ARS, _SHARE = f"<{v.CG}ags>", f"<{v.CG}ars>", f"<{v.CG}share>"
_MATCH = f"<{v.GEOCODING_LINK}>"
_OWNERSHIP = ", ".join(f"<{p}>" for p, rel in v.REL_OF_PREDICATE.items() if rel == "OWNED_BY")
_RDF = v.NAMESPACES["rdf"]
# the part of the 12-digit ARS that an official key repeats (AGS8 = ARS 1-5 + ARS 10-12)
_KEY_FROM_ARS = {"State": "SUBSTR(?ars, 1, 2)", "County": "SUBSTR(?ars, 1, 5)", "Association": "SUBSTR(?ars, 1, 9)",
                 "Municipality": "CONCAT(SUBSTR(?ars, 1, 5), SUBSTR(?ars, 10, 3))"}
_GEOCODING_KIND = {"State": "stateKey", "County": "districtKey", "Association": "municipalAssociationKey",
                   "Municipality": "municipalityKey"}


@dataclass(frozen=True)
class Constraint:
    """`select` returns a row (`?node`, `?value`) per violation, over the whole graph."""

    name: str
    message: str
    select: str


def _key_constraint(label: str) -> Constraint:
    own_key = _AGS if label != "Association" else None
    value = "?ags" if own_key else "?ars"
    ags = f"OPTIONAL {{ ?node {own_key} ?ags }}" if own_key else ""
    mismatch = ["?ags != ?key", f"(BOUND(?ars) && {_KEY_FROM_ARS[label]} != ?ags)"] if own_key else \
        [f"{_KEY_FROM_ARS[label]} != ?key"]
    return Constraint(f"{label}KeyConstraint",
                      f"The {label.lower()}'s official key, its IRI's key and its regional key (ARS) disagree",
                      f"""SELECT ?node ({value} AS ?value) WHERE {{
    ?node a <{v.CLASS[label]}> .
    {ags}
    OPTIONAL {{ ?node {_ARS} ?ars }}
    BIND(REPLACE(STR(?node), "^.*/", "") AS ?key)
    FILTER (BOUND({value}) && ({' || '.join(mismatch)}))
}}""")


def _geocoding_constraint(label: str) -> Constraint:
    own = "SUBSTR(?ars, 1, 9)" if label == "Association" else "?ags"
    return Constraint(f"{label}GeocodingConstraint", "A political-geocoding link names another territory's key",
                      f"""SELECT ?node ?value WHERE {{
    ?node a <{v.CLASS[label]}> ; {_MATCH} ?value .
    OPTIONAL {{ ?node {_AGS} ?ags }}
    OPTIONAL {{ ?node {_ARS} ?ars }}
    FILTER (STR(?value) != CONCAT("{v.GEOCODING}{_GEOCODING_KIND[label]}/", COALESCE({own}, "?"))
            && STR(?value) != CONCAT("{v.GEOCODING}regionalKey/", COALESCE(?ars, "?")))
}}""")


CONSTRAINTS: tuple[Constraint, ...] = (
    *(_key_constraint(label) for label in _KEY_FROM_ARS),
    *(_geocoding_constraint(label) for label in _GEOCODING_KIND),
    Constraint("ShareRangeConstraint", "An ownership share lies between 0 and 1",
               f"""SELECT ?node ?value WHERE {{
    ?node a <{v.RDF_STATEMENT}> ; {_SHARE} ?value .
    FILTER (!(?value >= 0 && ?value <= 1))
}}"""),
    Constraint("OwnershipShareConstraint", "The ownership shares of an organisation add up to more than 1",
               f"""SELECT ?node (SUM(?share) AS ?value) WHERE {{
    ?ownership <{_RDF}subject> ?node ; <{_RDF}predicate> ?owns ; {_SHARE} ?share .
    FILTER (?owns IN ({_OWNERSHIP}))
}} GROUP BY ?node HAVING (SUM(?share) > 1.000001)"""),
    Constraint("AssertedStatementConstraint", "A reified statement whose triple the data does not state",
               f"""SELECT ?node ?value WHERE {{
    ?node a <{v.RDF_STATEMENT}> ; <{_RDF}subject> ?s ; <{_RDF}predicate> ?value ; <{_RDF}object> ?o .
    FILTER NOT EXISTS {{ ?s ?value ?o }}
}}"""),
)


def shacl_select(constraint: Constraint) -> str:
    """The constraint as the `sh:select` of a shape whose one focus node is the ontology: each result row
    is a violation; SHACL reports `?value`, and the message names `?node`."""
    return constraint.select.replace("SELECT ?node", "SELECT $this ?node", 1)


def shacl_message(constraint: Constraint) -> str:
    return f"{constraint.message}: {{?node}} ({{?value}})"


def violations(store: ox.Store) -> list[tuple[str, str, str]]:
    """(offending node, message, offending value) for every constraint the data breaks, all graphs as one."""
    found = []
    for constraint in CONSTRAINTS:
        for row in store.query(constraint.select, use_default_graph_as_union=True):
            node, value = row["node"], row["value"]
            found.append((node.value, constraint.message, "" if value is None else value.value))
    return sorted(set(found))
