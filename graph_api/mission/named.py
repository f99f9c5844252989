"""The named queries whose answer is a mission question Cypher cannot express on LadybugDB.

`queries/<name>.cypher` declares such a query with `// analytics: <key>`; `run_named` hands it
here, and the same `answers` functions the GraphQL fields call compute the rows, so a named
query and its GraphQL field cannot disagree. Parameter problems are `ParameterError`s naming
the parameter (HTTP 400), like every other named query; names of people pass the personal-data rule
in `run_named` like every other named query's (`// names:` headers).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from graph_api.mission import adoption_index, answers
from graph_api.mission.errors import MissionInputError
from graph_api.query_library import ParameterError
from graph_api.store import QueryTimeout, ReadResult, Store
from graph_api.store import mission_reads as reads
from graph_api.store.mission_reads import Read, StoreRead

_ARGUMENT_TO_PARAM = {"maxHops": "max_hops"}


def _name(node: Mapping[str, Any]) -> str | None:
    """The stored name; `run_named` shows a person's name only as the personal-data rule allows (`names:`)."""
    return node.get("name") or node.get("title") or node.get("label")


def _contact_paths(read: Read, dialect: str, p: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = answers.contact_paths(read, dialect, p["from"], p["to"], p["max_hops"], p["limit"])
    return [{"hops": len(path.via), "path": path.ids, "via": path.via} for path in found]


def _county(read: Read, dialect: str, p: Mapping[str, Any]) -> answers.CountyAnswer:
    return answers.county_contacts(read, dialect, p["county"], p["max_hops"])


def _bridges(read: Read, dialect: str, p: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = _county(read, dialect, p)
    top = found.bridges[:p["limit"]]
    nodes = reads.nodes(read, [b.id for b in top])
    return [{"bridge_id": b.id, "bridge_name": _name(nodes[b.id]), "score": round(b.score, 4),
             "municipalities": len(b.municipalities)} for b in top]


def _key_persons(read: Read, dialect: str, p: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = _county(read, dialect, p)
    people = reads.nodes(read, [k.person for k in found.key_persons])
    return [{"municipality_id": k.municipality["id"], "municipality_name": k.municipality.get("name"),
             "person_id": k.person, "person_name": _name(people[k.person]), "hops": k.hops,
             "paths": k.paths} for k in found.key_persons]


def _reach(read: Read, dialect: str, p: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = _county(read, dialect, p)
    return [{"municipality_id": r.municipality["id"], "municipality_name": r.municipality.get("name"),
             "association": r.municipality.get("_association_name"), "hops": r.hops, "paths": r.paths,
             "reason": r.reason, "explanation": r.explanation} for r in found.reach]


def _brokers(read: Read, dialect: str, p: Mapping[str, Any]) -> list[dict[str, Any]]:
    total, through = answers.brokers(read, dialect, p["county_a"], p["county_b"], p["max_hops"])
    ranked = sorted(through.items(), key=lambda item: (-item[1], item[0]))
    nodes = reads.nodes(read, [node for node, _ in ranked])
    return [{"broker_id": node, "broker_name": _name(nodes.get(node, {})), "paths": count,
             "share": round(count / total, 3)} for node, count in ranked]


def _adoptions_in_territory(read: Read, dialect: str, p: Mapping[str, Any]) -> list[dict[str, Any]]:
    index = adoption_index.current(read)
    return [{"adoption_id": e.adoption, "solution_id": e.solution,
             "solution_name": index.solution.get(e.solution, {}).get("name"), "adopter_id": e.adopter,
             "adopter_name": holder.name, "status": e.status, "started_on": e.started_on}
            for e, holder in answers.adoptions_within(read, p["territory"], p["statuses"])]


ANALYTICS: dict[str, Callable[[Read, str, Mapping[str, Any]], list[dict[str, Any]]]] = {
    "contact_paths": _contact_paths,
    "county_bridges": _bridges,
    "key_persons": _key_persons,
    "county_reach": _reach,
    "adoptions_in_territory": _adoptions_in_territory,
    "brokers_between_counties": _brokers,
}


def run_analytics(store: Store, name: str, columns: tuple[str, ...], params: Mapping[str, Any], *,
                  timeout_ms: int, max_rows: int) -> ReadResult:
    """Rows of the mission question `name`, cut at `max_rows`, all reads within `timeout_ms` together."""
    deadline = time.monotonic() + timeout_ms / 1000

    def read(text: str, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0:
            raise QueryTimeout(f"the query exceeded its time limit of {timeout_ms} ms")
        return store.read(text, dict(values), timeout_ms=left)

    try:
        rows = ANALYTICS[name](StoreRead(store, read), store.dialect, params)
    except MissionInputError as exc:
        raise ParameterError(_ARGUMENT_TO_PARAM.get(exc.argument, exc.argument), str(exc)) from None
    rows = [{c: row.get(c) for c in columns} for row in rows]
    return ReadResult(list(columns), rows[:max_rows], len(rows) > max_rows)
