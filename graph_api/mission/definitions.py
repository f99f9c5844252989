"""What each mission question means — the one place every door (GraphQL, named queries, docs) reads.

Change a rule here and the GraphQL fields, the named queries and the oracle tests follow; the
user-facing wording of these rules is `docs/mission.md`.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.model import TERRITORY_LABELS


@dataclass(frozen=True)
class ContactEdge:
    """A relationship type along which people reach each other, with the labels it may join.

    Contacts are undirected: a KNOWS from A to B lets B reach A as well."""

    type: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    why: str


_PLACES_AND_ORGS = (*TERRITORY_LABELS, "Organization")

CONTACT_EDGES: tuple[ContactEdge, ...] = (
    ContactEdge("KNOWS", ("Actor",), ("Actor",), "two people know each other"),
    ContactEdge("WORKS_FOR", ("Actor",), ("Organization",), "a person works for an organisation"),
    ContactEdge("SUB_ORGANIZATION_OF", ("Organization",), ("Organization",), "a department of its organisation"),
    ContactEdge("MEMBER_OF", _PLACES_AND_ORGS, ("Organization",), "a member of a network or association"),
    ContactEdge("ADMINISTERS", ("Organization",), TERRITORY_LABELS, "an administration and the place it runs"),
    ContactEdge("OWNED_BY", ("Organization",), _PLACES_AND_ORGS, "a public enterprise and its owner"),
    ContactEdge("PARTICIPATES_IN", (*_PLACES_AND_ORGS, "Actor"), ("Project",), "a partner of a project"),
    # Territorial membership: a municipality is reached through the administration of its
    # association (Amt, Verbandsgemeinde, Samtgemeinde, Verwaltungsgemeinschaft, … — every GV100AD
    # association kind). Only municipality -> association: a county or state node would otherwise
    # join every municipality to every other in two hops without anybody knowing anybody.
    ContactEdge("PART_OF", ("Municipality",), ("Association",),
                "a municipality and its association (whose administration runs it)"),
)
CONTACT_EDGE_TYPES: tuple[str, ...] = tuple(e.type for e in CONTACT_EDGES)
# Labels a contact path may start at, end at or pass through.
CONTACT_LABELS: tuple[str, ...] = ("Actor", "Organization", "Project", *TERRITORY_LABELS)

# Hop limits. A hop is one relationship. Longer chains are not contacts anybody would use.
MAX_HOPS = 10
DEFAULT_CONTACT_PATH_HOPS = 4     # contactPaths / contact_paths
DEFAULT_COUNTY_HOPS = 8           # countyMunicipalBridges, keyPersonRisks, county_reach
PATHS_PER_PAIR_LIMIT = 100_000    # shortest paths are counted, never listed, for bridges and key persons

# Who may be a bridge or a key person: people, organisations and projects strictly between the
# county side (the organisations that ADMINISTER the county: the start of every path) and the
# municipality side (the municipality, its association, the organisations that ADMINISTER either
# of them, their departments, and everybody who WORKS_FOR one of those — its own staff).
BRIDGE_LABELS: tuple[str, ...] = ("Actor", "Organization", "Project")
# An administration's departments belong to the municipality side at any depth: SUB_ORGANIZATION_OF is
# followed down until no new organisation turns up (a cycle ends the walk). A unit seven levels down is as
# much the municipality's own door as one directly below; a cut-off would turn its staff into "bridges".
# An int here would stop after that many levels (docs/mission.md states the rule for users).
DEPARTMENT_DEPTH: int | None = None
KEY_PERSON_LABEL = "Actor"

# Adoption statuses.
ACTIVE: tuple[str, ...] = ("PILOT", "ADOPTED", "SCALED")       # in use: counts as adopted and as coverage
INTERESTED: tuple[str, ...] = ("CONSIDERING", "PLANNED")       # on its way: not adopted, not a gap to fill
ENDED: tuple[str, ...] = ("ABANDONED",)                         # tried and stopped: counts for nothing
TAKEN_UP: tuple[str, ...] = ACTIVE + INTERESTED                 # not recommended again to the same adopter

# An adoption by a territory above the municipality (or by an organisation that ADMINISTERS it)
# covers the member municipalities of that territory; it is always reported as "via <territory>".
COVERING_LEVELS: tuple[str, ...] = ("Association", "County")

# Recommendations.
SEAL_AWARD_ID = "Award:bewaehrt-vor-ort"   # only this award is reported as the seal 'Bewährt vor Ort'
SIMILAR_SIZE_FACTOR = 2.0                  # population within this factor either way = "of similar size"
RECOMMENDATION_WEIGHTS = {
    "same_association": 3.0, "same_county": 2.0, "same_state": 1.0, "elsewhere": 0.5,
    "similar_size": 1.0, "seal": 2.0, "other_award": 1.0, "need": 3.0, "maturity": 1.0,
}
MATURE = ("proven", "scaled")
# A recorded need (the needs log) counts for recommendations while it is OPEN or MATCHED (a solution was
# proposed, not yet taken up); a SOLVED need no longer asks for anything. A municipality's recorded needs are
# those NEEDED_BY the municipality itself or by an organisation that administers it directly.
OPEN_NEEDS = ("OPEN", "MATCHED")

# Transfer lineage: generation = the longest LEARNED_FROM chain behind an adoption.
LINEAGE_MAX_GENERATIONS = 20
# Concept hierarchy depth for categories and needs (BROADER*0..n).
CONCEPT_DEPTH = 5


def contact_pairs() -> set[tuple[str, str, str]]:
    """(type, from label, to label) for every contact edge kind."""
    return {(e.type, a, b) for e in CONTACT_EDGES for a in e.from_labels for b in e.to_labels}
