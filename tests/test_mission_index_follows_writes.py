"""The kept adoption index follows writes without a rebuild, and equals a fresh build after every write.

A fresh build (`adoption_index.build` over a plain read) is the reference; the kept index is brought up
to date from the store's journal of touched nodes (`Store.changed_since`). Random sequences of every
kind of write — upserts, GraphQL mutations, raw transactions, deletes — and the sample's loaders are
applied, and after each one the two must agree on everything the answers read (`snapshot`), and the
recommendations must still agree with the networkx oracle.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import synthetic
from graph_api.config import SAMPLE_DIR, Settings
from graph_api.ingest import SAMPLE_LOADERS, load
from graph_api.mission import adoption_index, answers
from graph_api.rows import GraphRows
from graph_api.schema.types import AdoptionStatus, OrganizationKind
from graph_api.store import Store, open_store
from graph_api.store.mission_reads import StoreRead
from tests import mission_oracle as oracle
from tests.graphql_client import TOKEN, GraphQLClient

STATUSES = list(AdoptionStatus.__members__)
# New adoption ids are unique over all examples: the store lives for the module, and an id made again in a later
# example would give one adoption a second solution and adopter (the store does not refuse that yet; an adoption
# of several solutions is a different question than the index's, and the oracle keeps one of them).
NEW_IDS = itertools.count(1)


def _plain(store: Store):  # noqa: ANN202 - a read function
    return lambda text, params: store.read(text, dict(params))


def _kept(store: Store) -> adoption_index.AdoptionIndex:
    return adoption_index.current(StoreRead(store, _plain(store)))


def _assert_fresh(store: Store) -> None:
    assert _kept(store).snapshot() == adoption_index.build(_plain(store)).snapshot()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A generated county of its own, written to by every test here."""
    found = open_store(Settings(store="ladybug", db_path=str(tmp_path_factory.mktemp("follows") / "g.lbdb")))
    found.apply(synthetic.read(SAMPLE_DIR / "gv100ad_pilot.ASC", scope="13076", seed=8, knows=200, adoptions=300,
                               solutions=20))
    rows = GraphRows()
    rows.add_node("Award", {"id": "Award:test-prize", "name": "Testpreis"})
    rows.add_node("Source", {"id": "Source:test-real", "title": "Ratsbeschluss", "kind": "document",
                             "illustrative": False})
    found.apply(rows)
    yield found
    found.close()


def _ids(store: Store, label: str) -> list[str]:
    return [r["id"] for r in store.read(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id")]


# one write: (kind, index of a solution, of an adopter, of an adoption, of a status, a number)
WRITES = st.tuples(st.sampled_from(["adopt", "status", "mutation", "raw", "delete_adoption", "delete_org",
                                    "administers", "population", "award", "rename_award", "source", "flip_source",
                                    "delete_solution"]),
                   st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000),
                   st.integers(0, len(STATUSES) - 1), st.integers(1, 400_000))


def _mutate(api: GraphQLClient, query: str, data: dict) -> None:
    """A mutation; one the graph's rules refuse (a random combination may break one) writes nothing, which the
    index must follow as well."""
    body = api.post(query, {"input": data}, token=TOKEN).json()
    for error in body.get("errors") or ():  # a rule's refusal (no code) or a refused input, never a failure
        assert (error.get("extensions") or {}).get("code") in (None, "BAD_USER_INPUT"), error


def _write(store: Store, api: GraphQLClient, step: tuple[str, int, int, int, int, int]) -> bool:
    """Apply one write; True when it goes through the journaled write path (so no rebuild may follow)."""
    kind, si, ai, di, status, number = step
    solutions, adoptions = _ids(store, "Solution"), _ids(store, "Adoption")
    adopters = _ids(store, "Municipality") + _ids(store, "Organization") + _ids(store, "Association")
    solution, adopter = solutions[si % len(solutions)], adopters[ai % len(adopters)]
    adoption = adoptions[di % len(adoptions)] if adoptions else None
    rows = GraphRows()
    if kind == "adopt" or (kind in ("status", "delete_adoption") and adoption is None):
        new = f"Adoption:test-{next(NEW_IDS)}"
        rows.add_node("Adoption", {"id": new, "status": STATUSES[status], "started_on": "2025-01-01"})
        rows.add_rel("OF", new, solution)
        rows.add_rel("BY", new, adopter)
    elif kind == "status":
        rows.add_node("Adoption", {"id": adoption, "status": STATUSES[status]})
    elif kind == "mutation":
        _mutate(api, "mutation($input: AdoptionInput!) { upsertAdoption(input: $input) { id } }",
                {"id": f"test-m{number % 7}", "solution": solution, "adopter": adopter, "status": STATUSES[status]})
        return True
    elif kind == "raw":  # no journal entry: the index must notice and rebuild
        with store.transaction() as run:
            run("MATCH (a:Adoption {id: $id}) SET a.status = $s", {"id": adoption or "", "s": STATUSES[status]})
        return False
    elif kind == "delete_adoption":
        store.delete_node(adoption)
        return True
    elif kind == "delete_org":
        organisations = _ids(store, "Organization")
        store.delete_node(organisations[ai % len(organisations)])
        return True
    elif kind == "administers":
        organisations = _ids(store, "Organization")
        places = _ids(store, "Municipality")
        org = organisations[ai % len(organisations)]
        stored = store.read("MATCH (o:Organization {id: $id}) RETURN o.name AS n, o.kind AS k", {"id": org})[0]
        kind = (stored["k"] or "").upper()
        _mutate(api, "mutation($input: OrganizationInput!) { upsertOrganization(input: $input) { id } }",
                {"id": org.partition(":")[2], "name": stored["n"] or "x",
                 "kind": kind if kind in OrganizationKind.__members__ else "ADMINISTRATION",
                 "administers": [places[number % len(places)]]})
        return True
    elif kind == "population":
        places = _ids(store, "Municipality")
        rows.add_node("Municipality", {"id": places[number % len(places)], "population": number})
    elif kind == "award":
        rows.add_rel("RECEIVED", solution, "Award:test-prize", year=2020 + status)
    elif kind == "rename_award":
        rows.add_node("Award", {"id": "Award:test-prize", "name": f"Testpreis {number}"})
    elif kind == "source":
        if adoption is None:
            return True
        rows.add_rel("SOURCED_FROM", adoption, "Source:test-real")
    elif kind == "flip_source":
        rows.add_node("Source", {"id": "Source:test-real", "illustrative": bool(number % 2)})
    elif kind == "delete_solution":
        if len(solutions) > 3:
            store.delete_node(solution)
        return True
    store.apply(rows)
    return True


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WRITES, min_size=1, max_size=5))
def test_random_writes_keep_the_index_equal_to_a_fresh_build(store: Store, writes: list) -> None:
    api = GraphQLClient(store)
    _kept(store)
    for step in writes:
        before = dict(adoption_index.STATS)
        journaled = _write(store, api, step)
        _assert_fresh(store)
        if journaled:
            assert adoption_index.STATS["built"] == before["built"], step  # followed, not rebuilt
    town = store.read("MATCH (m:Municipality) WHERE m.population > 0 RETURN m.id AS id ORDER BY m.population DESC, "
                      "m.id LIMIT 1")[0]["id"]
    ranked = [(s.solution["id"], s.score) for s in answers.recommendations(StoreRead(store, _plain(store)), town,
                                                                            None, 10_000)]
    assert ranked == oracle.recommendations(oracle.raw_rows(store), town)


def test_loaders_are_followed(tmp_path: Path) -> None:
    """The sample's loaders, one after the other, on an empty store: each load is followed (or, when it is
    too large to list, rebuilt) and the index equals a fresh build."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path / "l.lbdb")))
    try:
        _kept(store)
        load(store, "gv100ad", [SAMPLE_DIR / "gv100ad_pilot.ASC"])
        _assert_fresh(store)
        for name in SAMPLE_LOADERS:
            refreshed = adoption_index.STATS["refreshed"]
            load(store, name, [SAMPLE_DIR / name])
            _assert_fresh(store)
            assert adoption_index.STATS["refreshed"] == refreshed + 1, name
        refreshed = adoption_index.STATS["refreshed"]
        load(store, "curated", [SAMPLE_DIR / "curated"])  # again: nothing changes, nothing is read again
        _assert_fresh(store)
        assert adoption_index.STATS["refreshed"] == refreshed + 1
    finally:
        store.close()


def test_an_unknown_gap_in_the_journal_rebuilds(store: Store) -> None:
    """A write the journal cannot see (a raw transaction) leaves a gap: the index is built anew."""
    kept = _kept(store)
    built = adoption_index.STATS["built"]
    with store.transaction() as run:
        run("MATCH (a:Adoption) WITH a ORDER BY a.id LIMIT 1 SET a.status = 'ABANDONED'", {})
    assert _kept(store) is not kept and adoption_index.STATS["built"] == built + 1
    _assert_fresh(store)


def test_a_refreshed_index_leaves_the_kept_one_as_it_was(store: Store) -> None:
    """Answers still reading the previous index must not see it change under them."""
    kept = _kept(store)
    frozen = kept.snapshot()
    rows = GraphRows()
    solution = _ids(store, "Solution")[0]
    rows.add_node("Adoption", {"id": "Adoption:test-frozen", "status": "ADOPTED"})
    rows.add_rel("OF", "Adoption:test-frozen", solution)
    rows.add_rel("BY", "Adoption:test-frozen", _ids(store, "Municipality")[0])
    store.apply(rows)
    assert _kept(store) is not kept
    assert kept.snapshot() == frozen
    _assert_fresh(store)
