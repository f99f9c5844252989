"""Recommendations rank every candidate from adopter counts kept in an index of all adoptions
(`graph_api.mission.adoption_index`) and name the evidence of the first few.

Checked against the networkx oracle (`tests/mission_oracle.py`) on the pilot data and a generated
county, through the kept index (a read that names its store) and a fresh one (a plain read), and
after writes: a kept index must never answer from the graph as it was before a write.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import synthetic
from graph_api.config import SAMPLE_DIR, Settings
from graph_api.mission import adoption_index, answers
from graph_api.mission.recommend import Found
from graph_api.rows import GraphRows
from graph_api.store import Store, open_store
from graph_api.store.mission_reads import StoreRead
from tests import mission_oracle as oracle
from tests.graphql_client import GraphQLClient
from tests.test_mission_oracle import generated_store  # noqa: F401 - the shared generated county

Read = Callable[[str, dict], list[dict]]


def _reads(store: Store) -> dict[str, Read]:
    def plain(text: str, params: dict) -> list[dict]:
        return store.read(text, dict(params))
    return {"kept": StoreRead(store, plain), "fresh": plain}


def _towns(store: Store, count: int = 12) -> list[str]:
    return [r["id"] for r in store.read("MATCH (m:Municipality) WHERE m.population > 0 RETURN m.id AS id "
                                        f"ORDER BY m.population DESC, m.id LIMIT {count}")]


def _ranked(read: Read, town: str, need: str | None = None) -> list[tuple[str, float]]:
    return [(s.solution["id"], s.score) for s in answers.recommendations(read, town, need, 10_000)]


@pytest.mark.parametrize("which", ["pilot_store", "generated_store"])
def test_the_first_recommendations_are_the_head_of_all(request: pytest.FixtureRequest, which: str) -> None:
    store: Store = request.getfixturevalue(which)
    for read in _reads(store).values():
        for town in _towns(store):
            everything = answers.recommendations(read, town, None, 10_000)
            assert everything
            for first in (1, 3, 5):
                head = answers.recommendations(read, town, None, first)
                assert [(s.solution["id"], s.score, s.reasons) for s in head] == [
                    (s.solution["id"], s.score, s.reasons) for s in everything[:first]]
            assert [s.score for s in everything] == sorted((s.score for s in everything), reverse=True)


@pytest.mark.parametrize("which", ["pilot_store", "generated_store"])
def test_recommendations_agree_with_the_oracle(request: pytest.FixtureRequest, which: str) -> None:
    store: Store = request.getfixturevalue(which)
    raw = oracle.raw_rows(store)
    needs = sorted({c for _, c in raw.edges["ADDRESSES"]})[:3]
    for name, read in _reads(store).items():
        for town in _towns(store):
            assert _ranked(read, town) == oracle.recommendations(raw, town), (name, town)
            for need in needs:
                assert _ranked(read, town, need) == oracle.recommendations(raw, town, need), (name, town, need)


@pytest.fixture()
def small_generated(tmp_path: Path) -> Store:
    """A generated county of its own: the tests below write to it."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path / "g.lbdb")))
    store.apply(synthetic.read(SAMPLE_DIR / "gv100ad_pilot.ASC", scope="13076", seed=5, knows=300, adoptions=400,
                               solutions=25))
    yield store
    store.close()


def test_the_kept_index_is_replaced_after_every_kind_of_write(small_generated: Store) -> None:
    store = small_generated
    read = _reads(store)["kept"]
    town = _towns(store, 1)[0]
    before = _ranked(read, town)
    assert before == oracle.recommendations(oracle.raw_rows(store), town)
    kept = adoption_index.current(read)
    assert adoption_index.current(read) is kept  # no write: the same index serves again

    # 1. the town takes up the top recommendation through the store's upsert
    top = before[0][0]
    rows = GraphRows()
    rows.add_node("Adoption", {"id": "Adoption:test-own-pilot", "status": "PILOT", "started_on": "2025-01-01"})
    rows.add_rel("OF", "Adoption:test-own-pilot", top)
    rows.add_rel("BY", "Adoption:test-own-pilot", town)
    store.apply(rows)
    after = _ranked(read, town)
    assert top not in dict(after)
    assert after == oracle.recommendations(oracle.raw_rows(store), town)

    # 2. straight through a transaction (no upsert, no change record): the pilot is abandoned
    with store.transaction() as run:
        run("MATCH (a:Adoption {id: 'Adoption:test-own-pilot'}) SET a.status = 'ABANDONED'", {})
    assert _ranked(read, town) == before == oracle.recommendations(oracle.raw_rows(store), town)

    # 3. a neighbour's adoption is deleted: every count of that solution changes
    neighbour = store.read("MATCH (a:Adoption)-[:BY]->(m:Municipality) WHERE m.id <> $t AND a.status = 'ADOPTED' "
                           "RETURN a.id AS id ORDER BY id LIMIT 1", {"t": town})[0]["id"]
    assert store.delete_node(neighbour)
    assert _ranked(read, town) == oracle.recommendations(oracle.raw_rows(store), town)
    assert adoption_index.current(read) is not kept


def test_coverage_gaps_follow_a_write(small_generated: Store) -> None:
    store = small_generated
    read = _reads(store)["kept"]
    county = "County:13076"
    category = store.read("MATCH (:Solution)-[:IN_CATEGORY]->(c:Concept) RETURN c.id AS id ORDER BY id "
                          "LIMIT 1")[0]["id"]
    solution = store.read("MATCH (s:Solution)-[:IN_CATEGORY]->(:Concept {id: $c}) RETURN s.id AS id ORDER BY id "
                          "LIMIT 1", {"c": category})[0]["id"]

    def gaps() -> list[str]:
        return [e.municipality["id"] for e in answers.coverage(read, county, category)
                if not e.covered and (e.municipality.get("population") or 0) > 0]

    before = gaps()
    assert sorted(before) == sorted(oracle.coverage_gaps(oracle.raw_rows(store), county, category))
    assert before
    rows = GraphRows()
    rows.add_node("Adoption", {"id": "Adoption:test-gap-filled", "status": "ADOPTED", "started_on": "2025-01-01"})
    rows.add_rel("OF", "Adoption:test-gap-filled", solution)
    rows.add_rel("BY", "Adoption:test-gap-filled", before[0])
    store.apply(rows)
    after = gaps()
    assert before[0] not in after
    assert sorted(after) == sorted(oracle.coverage_gaps(oracle.raw_rows(store), county, category))


_WHERE = {3: "in the same association", 2: "elsewhere in the same county", 1: "elsewhere in the same state",
          0: "in other states"}


def _named(reason: str) -> tuple[int, str, int]:
    """(count, names shown, count said to be more) of an 'in use by N adopters …: A, B and K more' reason
    (names themselves may hold commas: 'Ratzeburg, Stadt')."""
    count = int(reason.split()[3])
    listed = reason.split(": ", 1)[1]
    if not listed.endswith(" more"):
        return count, listed, 0
    listed, _, more = listed.rpartition(" and ")
    return count, listed, int(more.split()[0])


@pytest.mark.parametrize("which", ["pilot_store", "small_generated"])
def test_reasons_name_the_nearest_adopters_and_count_the_rest(request: pytest.FixtureRequest, which: str) -> None:
    """Each 'in use by' reason counts the oracle's adopters at its level, names the first few of them
    (closest in size first, then id) and says how many more; the evidence is the oracle's adoptions."""
    store: Store = request.getfixturevalue(which)
    raw = oracle.raw_rows(store)
    shortened = 0
    for town in _towns(store, 6):
        home = raw.nodes[town]
        for scored in answers.recommendations_with_evidence(_reads(store)["kept"], town, None, 8).scored:
            solution, found = scored.solution["id"], scored.found
            levels = oracle.adopters_by_level(raw, town, solution)
            for level, where in _WHERE.items():
                said = [r for r in scored.reasons if r.startswith("in use by") and where in r]
                if not levels.get(level):
                    assert said == []
                    continue
                count, shown, more = _named(said[0])
                expected = sorted(levels[level], key=lambda x: (abs(math.log((raw.nodes[x].get("population") or 1)
                                                                             / (home.get("population") or 1))), x))
                assert count == len(expected) and more == max(0, count - 5)
                assert shown == ", ".join(raw.nodes[x].get("name") or x for x in expected[:count - more])
                shortened += more > 0
            adoptions, shaky = oracle.recommendation_evidence(raw, town, solution)
            assert found.evidence_count == len(adoptions) and set(found.evidence) <= adoptions
            assert len(found.evidence) == min(len(adoptions), adoption_index.EVIDENCE_MAX)
            assert found.adopters == sum(map(len, levels.values())) and found.illustrative == shaky
    if which == "small_generated":
        assert shortened  # the generated county has levels with more adopters than a reason names


def test_evidence_is_bounded_and_counted(pilot_store: Store) -> None:
    api = GraphQLClient(pilot_store)
    query = """{ recommendSolutions(municipality: "Municipality:13076108", first: 10) { evidenceCount adopterCount
        all: evidence(first: 100) { id } two: evidence(first: 2) { id } } }"""
    recs = api.data(query)["recommendSolutions"]
    assert any(r["evidenceCount"] > 2 for r in recs)
    for rec in recs:
        assert len(rec["all"]) == rec["evidenceCount"] and rec["two"] == rec["all"][:2]
    fields = "id status illustrative sources solution { id } adopter { ... on Node { id } }"
    found = api.data(f"""{{ recommendSolutions(municipality: "Municipality:13076108", first: 10) {{
        evidence(first: 100) {{ {fields} }} }} }}""")["recommendSolutions"]
    for evidence in (e for rec in found for e in rec["evidence"]):  # what the index primed = what the store says
        alone = api.data(f'{{ node(id: "{evidence["id"]}") {{ ... on Adoption {{ {fields} }} }} }}')["node"]
        assert evidence == alone
    body = api.post('{ recommendSolutions(municipality: "Municipality:13076108") { evidence(first: 101) { id } } }'
                    ).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("which", ["pilot_store", "small_generated"])
def test_the_quick_walk_finds_what_listing_every_adopter_finds(request: pytest.FixtureRequest, which: str) -> None:
    """`AdoptionIndex.found` visits only the nearest adopters of a popular solution; `Found.of` over every
    adopter is its reference. Both at several limits (small ones stop the walk early), for every town and
    solution."""
    store: Store = request.getfixturevalue(which)
    index = adoption_index.build(_reads(store)["fresh"])
    for town in _towns(store, 12):
        home = answers.reads.municipality(_reads(store)["fresh"], town)
        listed = index.adopters(home, [s["id"] for s in index.solutions])
        for solution in index.solutions:
            s = solution["id"]
            everyone = listed.get(s, [])
            adoptions = {a.id: index.active_of[a.id][s].adoptions for a in everyone}
            for named, limit in ((1, 1), (2, 3), (5, 10), (5, adoption_index.EVIDENCE_MAX)):
                reference = Found.of(everyone, home, adoptions, named, limit, sum(map(len, adoptions.values())),
                                     sum(1 for a in everyone if index.active_of[a.id][s].shaky))
                assert index.found(home, s, named, limit) == reference, (town, s, named, limit)
