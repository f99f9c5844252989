"""What the publiccode.yml import and export read from the graph: one place for their queries.

It lives in the store package because the store owns every Cypher text (issue 14); the loader
(`loaders/publiccode`) only calls these typed reads.

A loader never writes to a store; the publiccode import still has to know what is there
(which solution has this repository, which municipality is "Stadt Mölln", which adoptions and
funders a solution already has), so it receives a read-only `read(query, params)` callable.
Every query is a constant, values travel as parameters, and each text runs unchanged on
LadybugDB and Neo4j.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Read = Callable[[str, dict[str, Any]], list[dict[str, Any]]]

# one query per label: the labels differ in which properties they have
_TERRITORIES = (
    "MATCH (n:Municipality) RETURN n.id AS id, n.name AS name, n.county_ags AS county_ags, n.kind_code AS kind",
    "MATCH (n:Association) RETURN n.id AS id, n.name AS name, n.county_ags AS county_ags, n.kind_code AS kind",
    "MATCH (n:County) RETURN n.id AS id, n.name AS name, n.ags AS county_ags, n.kind_code AS kind",
    "MATCH (n:State) RETURN n.id AS id, n.name AS name, n.ags AS county_ags",
)
_ORGANIZATIONS = "MATCH (n:Organization) RETURN n.id AS id, n.name AS name, n.url AS url"
_PROJECTS = "MATCH (n:Project) RETURN n.id AS id, n.name AS name, n.url AS url"
_ADMINISTERS = "MATCH (o:Organization)-[:ADMINISTERS]->(t) RETURN o.id AS organization, t.id AS territory"
_SOLUTIONS = "MATCH (n:Solution) RETURN n.id AS id, n.name AS name, n.repository_url AS repository_url"
_SOLUTION = "MATCH (s:Solution {id: $id}) RETURN s"
_FUNDERS = "MATCH (s:Solution {id: $id})-[r:FUNDED_BY]->(x) RETURN x.id AS id, x.name AS name, x.url AS url"
_MAINTAINERS = ("MATCH (s:Solution {id: $id})-[r:MAINTAINED_BY]->(x:Organization) "
                "RETURN x.id AS id, x.name AS name, x.url AS url, r.until AS until")
_DERIVED = ("MATCH (s:Solution {id: $id})-[r:DERIVED_FROM]->(x:Solution) "
            "RETURN x.id AS id, x.repository_url AS repository_url")
_ADOPTIONS = ("MATCH (s:Solution {id: $id})<-[:OF]-(a:Adoption)-[:BY]->(x) "
              "RETURN a.id AS adoption, a.status AS status, x.id AS adopter, x.name AS name")
_CONCEPTS = ("MATCH (s:Solution {id: $id})-[r:ADDRESSES|IN_CATEGORY]->(c:Concept) "
             "RETURN c.id AS id, c.label AS label")
_CHANNELS = ("MATCH (o:Organization {id: $id})-[:HAS_CONTACT_POINT]->(c:ContactPoint) "
             "RETURN c.kind AS kind, c.value AS value, c.visibility AS visibility")


@dataclass
class SolutionLinks:
    """What the graph already says about one solution's links (to state only what is new)."""

    funders: set[str] = field(default_factory=set)
    maintainers: dict[str, str | None] = field(default_factory=dict)  # organisation id -> until
    derived_from: set[str] = field(default_factory=set)
    adoptions: dict[str, str] = field(default_factory=dict)  # adopter id -> adoption id


class GraphReads:
    """The reads, over a `read(query, params)` callable (a store's `read`)."""

    def __init__(self, read: Read):
        self._read = read

    def territories(self) -> list[dict[str, Any]]:
        return [row for query in _TERRITORIES for row in self._read(query, {})]

    def organizations(self) -> list[dict[str, Any]]:
        return self._read(_ORGANIZATIONS, {})

    def administrations(self) -> list[dict[str, Any]]:
        """(organisation, territory) pairs: the Amt's administration and the Amt are one adopter."""
        return self._read(_ADMINISTERS, {})

    def projects(self) -> list[dict[str, Any]]:
        return self._read(_PROJECTS, {})

    def solutions(self) -> list[dict[str, Any]]:
        return self._read(_SOLUTIONS, {})

    def solution(self, solution_id: str) -> dict[str, Any] | None:
        rows = self._read(_SOLUTION, {"id": solution_id})
        return rows[0]["s"] if rows else None

    def links(self, solution_id: str) -> SolutionLinks:
        params = {"id": solution_id}
        return SolutionLinks(
            funders={row["id"] for row in self._read(_FUNDERS, params)},
            maintainers={row["id"]: row["until"] for row in self._read(_MAINTAINERS, params)},
            derived_from={row["id"] for row in self._read(_DERIVED, params)},
            adoptions={row["adopter"]: row["adoption"] for row in self._read(_ADOPTIONS, params)})

    def funders(self, solution_id: str) -> list[dict[str, Any]]:
        return self._read(_FUNDERS, {"id": solution_id})

    def maintainers(self, solution_id: str) -> list[dict[str, Any]]:
        return self._read(_MAINTAINERS, {"id": solution_id})

    def derived_from(self, solution_id: str) -> list[dict[str, Any]]:
        return self._read(_DERIVED, {"id": solution_id})

    def adoptions(self, solution_id: str) -> list[dict[str, Any]]:
        return self._read(_ADOPTIONS, {"id": solution_id})

    def concepts(self, solution_id: str) -> list[dict[str, Any]]:
        return self._read(_CONCEPTS, {"id": solution_id})

    def channels(self, organization_id: str) -> list[dict[str, Any]]:
        return self._read(_CHANNELS, {"id": organization_id})


class NoGraph(GraphReads):
    """An empty graph: loading without a store (validation, tests of the mapping alone)."""

    def __init__(self) -> None:
        super().__init__(lambda query, params: [])
