"""The store contract, run against every backend: the same behaviour on LadybugDB and Neo4j."""

from __future__ import annotations

import pytest

from graph_api.rows import GraphRows, LoadError
from graph_api.store import QueryRejected, Store


def _org_rows(*names: str, kind: str = "ASSOCIATION") -> GraphRows:
    rows = GraphRows()
    for name in names:
        rows.add_node("Organization", {"id": f"Organization:{name}", "name": name.title(), "kind": kind})
    return rows


def test_schema_is_idempotent_and_store_is_healthy(empty_store: Store) -> None:
    empty_store.ensure_schema()
    assert empty_store.health()


def test_apply_creates_then_reports_unchanged(empty_store: Store) -> None:
    rows = _org_rows("alpha", "beta")
    rows.add_rel("MEMBER_OF", "Organization:alpha", "Organization:beta", since="2020-01-01")
    first = empty_store.apply(rows)
    assert first.created == {"Organization": 2, "MEMBER_OF": 1}
    second = empty_store.apply(rows)
    assert not second.changed and second.unchanged == {"Organization": 2, "MEMBER_OF": 1}


def test_update_touches_only_stated_properties(empty_store: Store) -> None:
    rows = _org_rows("alpha")
    rows.nodes["Organization"][0]["url"] = "https://alpha.example"
    empty_store.apply(rows)
    newer = GraphRows()
    newer.add_node("Organization", {"id": "Organization:alpha", "name": "Alpha e.V.", "url": None})
    summary = empty_store.apply(newer)
    assert summary.updated == {"Organization": 1}
    node = empty_store.read("MATCH (n:Organization {id: 'Organization:alpha'}) RETURN n AS n")[0]["n"]
    assert node["name"] == "Alpha e.V." and node["url"] == "https://alpha.example" and node["kind"] == "ASSOCIATION"


def test_relationship_to_missing_node_is_refused_and_nothing_written(empty_store: Store) -> None:
    rows = _org_rows("alpha")
    rows.add_rel("MEMBER_OF", "Organization:alpha", "Organization:ghost")
    with pytest.raises(LoadError, match="Organization:ghost"):
        empty_store.apply(rows)
    assert empty_store.read("MATCH (n:Organization) RETURN count(n) AS c") == [{"c": 0}]


def test_failed_transaction_rolls_back(empty_store: Store) -> None:
    with pytest.raises(Exception), empty_store.transaction() as run:  # noqa: B017 - any failure
        run("CREATE (:Organization {id: 'Organization:x', name: 'X', kind: 'COMPANY'})", {})
        raise RuntimeError("boom")
    assert empty_store.read("MATCH (n:Organization) RETURN count(n) AS c") == [{"c": 0}]


def test_bulk_path_matches_small_path(empty_store: Store) -> None:
    """More rows than the COPY threshold go the bulk way; the result must be the same graph."""
    names = [f"org-{i:05d}" for i in range(2_500)]
    rows = _org_rows(*names)
    for a, b in zip(names, names[1:], strict=False):
        rows.add_rel("SUB_ORGANIZATION_OF", f"Organization:{a}", f"Organization:{b}", source=None)
    rows.nodes["Organization"][0]["description"] = 'multi\nline, "quoted" text'
    summary = empty_store.apply(rows)
    assert summary.created == {"Organization": 2_500, "SUB_ORGANIZATION_OF": 2_499}
    assert empty_store.read("MATCH ()-[r:SUB_ORGANIZATION_OF]->() RETURN count(r) AS c") == [{"c": 2_499}]
    first = empty_store.read("MATCH (n:Organization {id: 'Organization:org-00000'}) RETURN n.description AS d")
    assert first == [{"d": 'multi\nline, "quoted" text'}]
    assert not empty_store.apply(rows).changed


def test_read_only_refuses_writes(empty_store: Store) -> None:
    empty_store.apply(_org_rows("alpha"))
    for query in ("CREATE (:Organization {id: 'Organization:evil', name: 'E', kind: 'COMPANY'})",
                  "MATCH (n:Organization) SET n.name = 'pwned'", "MATCH (n:Organization) DETACH DELETE n"):
        with pytest.raises(QueryRejected):
            empty_store.read_only(query, timeout_ms=5_000, max_rows=10)
    result = empty_store.read_only("MATCH (n:Organization) RETURN n.name AS name", timeout_ms=5_000, max_rows=10)
    assert result.rows == [{"name": "Alpha"}] and not result.truncated


def test_read_only_sees_fresh_writes_and_cuts_rows(empty_store: Store) -> None:
    empty_store.apply(_org_rows("alpha"))
    empty_store.read_only("MATCH (n:Organization) RETURN n.id AS id", timeout_ms=5_000, max_rows=10)
    empty_store.apply(_org_rows("beta", "gamma"))
    result = empty_store.read_only("MATCH (n:Organization) RETURN n.id AS id ORDER BY id", timeout_ms=5_000,
                                   max_rows=2)
    assert [r["id"] for r in result.rows] == ["Organization:alpha", "Organization:beta"] and result.truncated


def test_search_is_german_friendly_and_ranked(empty_store: Store) -> None:
    rows = GraphRows()
    rows.add_node("Solution", {"id": "Solution:chatbot", "name": "Chatbot für den Bürgerservice",
                               "summary": "Antworten rund um die Uhr"})
    rows.add_node("Solution", {"id": "Solution:app", "name": "Kommunale App",
                               "summary": "Nachrichten und Bürgerservice in einer App"})
    rows.add_node("Actor", {"id": "Actor:x", "name": "Erika Geheim", "role_label": "Bürgermeister:in",
                            "visibility": "restricted"})
    empty_store.apply(rows)
    hits = [i for i, _ in empty_store.search("Buergerservice", 10)]
    assert hits == ["Solution:chatbot", "Solution:app"]  # the name match ranks first
    assert [i for i, _ in empty_store.search("BÜRGERSERVICE chatbot", 10)] == ["Solution:chatbot"]
    assert empty_store.search("Geheim", 10) == []  # restricted names are not searchable
    assert [i for i, _ in empty_store.search("Burgermeister", 10)] == ["Actor:x"]


def test_delete_node_removes_it_everywhere(empty_store: Store) -> None:
    rows = _org_rows("alpha", "beta")
    rows.add_rel("MEMBER_OF", "Organization:alpha", "Organization:beta")
    empty_store.apply(rows)
    assert empty_store.delete_node("Organization:alpha")
    assert not empty_store.delete_node("Organization:alpha")
    assert empty_store.read("MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS c") == [{"c": 0}]
    assert empty_store.search("alpha", 5) == []


def test_typed_properties_that_no_row_states_are_accepted(empty_store: Store) -> None:
    rows = _org_rows("alpha", "beta")
    rows.add_rel("OWNED_BY", "Organization:alpha", "Organization:beta", share=None)
    rows.add_node("Municipality", {"id": "Municipality:01053100", "name": "Ratzeburg", "population": None})
    assert empty_store.apply(rows).created == {"Organization": 2, "OWNED_BY": 1, "Municipality": 1}
    assert not empty_store.apply(rows).changed
