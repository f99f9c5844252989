"""Typed reads of the adoption index (`graph_api.mission.adoption_index`): whole tables once, then
only the nodes a write touched (`Store.changed_since`).

The texts are the same in both dialects. Whole tables are plain scans without filters: 100,000
adoptions with their solution and adopter read in ~1.4 s at Germany scale, while
`WHERE a.status IN $list` on the same join took ~0.2 s more and an aggregate per request ~1 s.
Touched nodes are read by primary key (`mission_reads.by_ids`: one lookup per id for a few ids).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from graph_api.model import TERRITORY_LABELS, label_of
from graph_api.store.mission_reads import Read, by_ids, many, one

Row = dict[str, Any]

# ---- whole tables ---------------------------------------------------------------------------------
SOLUTIONS = "MATCH (s:Solution) RETURN s AS s"
ADOPTIONS = ("MATCH (a:Adoption)-[:OF]->(s:Solution) MATCH (a)-[:BY]->(x) "
             "RETURN s.id AS solution, a.id AS adoption, a.status AS status, a.started_on AS started_on, "
             "x.id AS adopter")
TERRITORIES = {label: f"MATCH (x:{label}) RETURN x.id AS id, x.name AS name, x.ars AS ars, "
                      "x.population AS population" for label in TERRITORY_LABELS}
ORGANISATIONS = "MATCH (x:Organization) RETURN x.id AS id, x.name AS name"
ADMINISTERS = "MATCH (o:Organization)-[:ADMINISTERS]->(t) RETURN o.id AS o, t.id AS place"
SERVES = "MATCH (o:Organization)-[:SERVES]->(t) RETURN o.id AS o, t.id AS place"
AWARDS = ("MATCH (s:Solution)-[r:RECEIVED]->(w:Award) RETURN s.id AS solution, w.id AS award, w.name AS name, "
          "r.year AS year")
ADOPTION_SOURCE_LINKS = "MATCH (a:Adoption)-[:SOURCED_FROM]->(s:Source) RETURN a.id AS adoption, s.id AS source"
SOURCES = "MATCH (s:Source) RETURN s.id AS id, s.illustrative AS illustrative"

# ---- the same rows of touched nodes (templates: `@` is the id, see `mission_reads.one`) ---------------
ADOPTION_ENTRIES = ("MATCH (a:Adoption {id: @})-[:OF]->(s:Solution) MATCH (a)-[:BY]->(x) "
                    "RETURN s.id AS solution, a.id AS adoption, a.status AS status, a.started_on AS started_on, "
                    "x.id AS adopter")
ADOPTION_SOURCES = "MATCH (a:Adoption {id: @})-[:SOURCED_FROM]->(s:Source) RETURN a.id AS adoption, s.id AS source"
SOURCE = "MATCH (s:Source {id: @}) RETURN s.id AS id, s.illustrative AS illustrative"
SOURCE_ADOPTIONS = "MATCH (s:Source {id: @})<-[:SOURCED_FROM]-(a:Adoption) RETURN DISTINCT a.id AS id"
SOLUTION = "MATCH (s:Solution {id: @}) RETURN s AS s"
SOLUTION_AWARDS = ("MATCH (s:Solution {id: @})-[r:RECEIVED]->(w:Award) RETURN s.id AS solution, w.id AS award, "
                   "w.name AS name, r.year AS year")
AWARD_SOLUTIONS = "MATCH (w:Award {id: @})<-[:RECEIVED]-(s:Solution) RETURN DISTINCT s.id AS id"
TERRITORY = {label: f"MATCH (x:{label} {{id: @}}) RETURN x.id AS id, x.name AS name, x.ars AS ars, "
                    "x.population AS population" for label in TERRITORY_LABELS}
ORGANISATION = "MATCH (x:Organization {id: @}) RETURN x.id AS id, x.name AS name"
ORGANISATION_ADMINISTERS = "MATCH (o:Organization {id: @})-[:ADMINISTERS]->(t) RETURN o.id AS o, t.id AS place"
ORGANISATION_SERVES = "MATCH (o:Organization {id: @})-[:SERVES]->(t) RETURN o.id AS o, t.id AS place"

_TEMPLATES = {"adoption-entries": ADOPTION_ENTRIES, "adoption-sources": ADOPTION_SOURCES, "source": SOURCE,
              "source-adoptions": SOURCE_ADOPTIONS, "solution": SOLUTION, "solution-awards": SOLUTION_AWARDS,
              "award-solutions": AWARD_SOLUTIONS, "organisation": ORGANISATION,
              "organisation-administers": ORGANISATION_ADMINISTERS, "organisation-serves": ORGANISATION_SERVES,
              **{f"territory-{label}": text for label, text in TERRITORY.items()}}


def full_rows(read: Read) -> dict[str, list[Row]]:
    """Every row the adoption index is built from, by kind."""
    return {"solutions": [r["s"] for r in read(SOLUTIONS, {})], "awards": read(AWARDS, {}),
            "adoptions": read(ADOPTIONS, {}),
            "territories": [r for text in TERRITORIES.values() for r in read(text, {})],
            "organisations": read(ORGANISATIONS, {}), "administers": read(ADMINISTERS, {}),
            "serves": read(SERVES, {}), "adoption_sources": read(ADOPTION_SOURCE_LINKS, {}),
            "sources": read(SOURCES, {})}


def touched_rows(read: Read, touched: Iterable[str]) -> dict[str, Any]:
    """The rows of `full_rows` that concern the touched nodes, as the store holds them now.

    `adoptions`: the touched adoptions and those SOURCED_FROM a touched source (a source's flag decides
    whether they are illustrative), with their sources; `solutions`: the touched solutions and those that RECEIVED a
    touched award (its name is in their rows). A node that no longer exists has no row."""
    ids: dict[str, list[str]] = defaultdict(list)
    for node_id in dict.fromkeys(touched):
        ids[label_of(node_id) or ""].append(node_id)
    adoptions = list(dict.fromkeys([*ids["Adoption"], *(r["id"] for r in by_ids(read, SOURCE_ADOPTIONS,
                                                                                 ids["Source"]))]))
    solutions = list(dict.fromkeys([*ids["Solution"], *(r["id"] for r in by_ids(read, AWARD_SOLUTIONS,
                                                                                 ids["Award"]))]))
    territories = [node_id for label in TERRITORY_LABELS for node_id in ids[label]]
    organisations = ids["Organization"]
    return {
        "adoption_ids": adoptions, "adoptions": by_ids(read, ADOPTION_ENTRIES, adoptions),
        "adoption_sources": by_ids(read, ADOPTION_SOURCES, adoptions),
        "source_ids": ids["Source"], "sources": by_ids(read, SOURCE, ids["Source"]),
        "solution_ids": solutions, "solutions": [r["s"] for r in by_ids(read, SOLUTION, solutions)],
        "awards": by_ids(read, SOLUTION_AWARDS, solutions),
        "territory_ids": territories,
        "territories": [r for label in TERRITORY_LABELS for r in by_ids(read, TERRITORY[label], ids[label])],
        "organisation_ids": organisations, "organisations": by_ids(read, ORGANISATION, organisations),
        "administers": by_ids(read, ORGANISATION_ADMINISTERS, organisations),
        "serves": by_ids(read, ORGANISATION_SERVES, organisations),
    }


class AdoptionReads:
    """Mixed into `Store`: the adoption index's reads, through the backend's `read` (no time limit: an index
    build is finished for the next request even when the one that started it has given up)."""

    read: Callable[..., list[Row]]

    def adoption_index_rows(self) -> dict[str, list[Row]]:
        """Every row the adoption index is built from (`full_rows`)."""
        return full_rows(self._plain_read)

    def adoption_index_changes(self, touched: Iterable[str]) -> dict[str, Any]:
        """The index rows of the nodes a write touched (`touched_rows`)."""
        return touched_rows(self._plain_read, touched)

    def _plain_read(self, text: str, params: Any) -> list[Row]:  # noqa: ANN401 - a Mapping of parameters
        return self.read(text, dict(params))


def texts() -> dict[str, str]:
    """Every text of this module in its sent forms (for the Neo4j lint)."""
    found = {"index-solutions": SOLUTIONS, "index-adoptions": ADOPTIONS, "index-organisations": ORGANISATIONS,
             "index-administers": ADMINISTERS, "index-serves": SERVES, "index-awards": AWARDS,
             "index-adoption-sources": ADOPTION_SOURCE_LINKS, "index-sources": SOURCES,
             **{f"index-{label}": text for label, text in TERRITORIES.items()}}
    for name, template in _TEMPLATES.items():
        found[f"index-{name}-one"] = one(template)
        found[f"index-{name}-many"] = many(template)
    return found
