"""Filters (AND/OR/NOT, in, folded text, relationship conditions) agree with a plain-Python oracle.

Random filter inputs (Hypothesis) run through GraphQL on the pilot data and on a generated
county; every page is read and the set of ids is compared with `tests/filter_oracle.py`, which
decides each row from the raw nodes and relationships. The values come from the data (real
names, keys, statuses, dates), so filters match something, and from outside it (misspellings,
umlaut spellings, bounds between values), so they also match nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import synthetic
from graph_api.config import SAMPLE_DIR, Settings
from graph_api.store import Store, open_store
from tests import mission_oracle
from tests.filter_oracle import FilterOracle
from tests.graphql_client import GraphQLClient

LIST = """query($f: %(input)s, $after: String) { %(field)s(filter: $f, first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
STATUSES = ["CONSIDERING", "PLANNED", "PILOT", "ADOPTED", "SCALED", "ABANDONED"]


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A generated county (Herzogtum Lauenburg's territory, synthetic people and adoptions)."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path_factory.mktemp("filters") / "g.lbdb")))
    store.apply(synthetic.read(SAMPLE_DIR / "gv100ad_pilot.ASC", scope="01053", seed=5, knows=200,
                               adoptions=300, solutions=30))
    yield store
    store.close()


class Universe:
    """The values filters are drawn from, read from the graph under test, and the oracle over it."""

    def __init__(self, store: Store):
        self.api = GraphQLClient(store, graphql_timeout_ms=120_000)  # a shared machine; no timing is tested
        self.oracle = FilterOracle(mission_oracle.raw_rows(store))
        nodes = self.oracle.raw.nodes
        self.municipalities = self.oracle.of_label("Municipality")
        self.counties = self.oracle.of_label("County")
        self.territories = self.counties + self.oracle.of_label("Association")[:20] + self.oracle.of_label("State")
        self.solutions = self.oracle.of_label("Solution")
        self.adoptions = self.oracle.of_label("Adoption")
        self.concepts = self.oracle.of_label("Concept")
        names = [nodes[m]["name"] for m in self.municipalities] + [nodes[s]["name"] for s in self.solutions]
        self.words = sorted({w.strip(",/()") for n in names for w in n.split() if len(w) > 2} |
                            {"moelln", "MÖLLN", "strasse", "Büchen", "xyzzy", "stadt", "-", "%", "'"})
        self.dates = sorted({nodes[a]["started_on"] for a in self.adoptions if nodes[a].get("started_on")} |
                            {"2000-01-01", "2024-06-30", "2030-01-01"})
        self.populations = sorted({nodes[m]["population"] for m in self.municipalities
                                   if nodes[m].get("population") is not None})

    def all_ids(self, field: str, input_type: str, f: dict[str, Any]) -> set[str]:
        found: list[str] = []
        after = None
        while True:
            page = self.api.data(LIST % {"field": field, "input": input_type}, {"f": f, "after": after})[field]
            found += [e["node"]["id"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert len(found) == len(set(found)) == page["totalCount"], (f, len(found), page["totalCount"])
        return set(found)


@pytest.fixture(scope="module", params=["pilot", "generated"])
def universe(request: pytest.FixtureRequest) -> Universe:
    return Universe(request.getfixturevalue("pilot_store" if request.param == "pilot" else "generated_store"))


def _some_of(fields: dict[str, st.SearchStrategy[Any]], most: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    """An input object with up to `most` of `fields` set (what a front end sends; every field is drawn)."""
    names = sorted(fields)
    return st.lists(st.sampled_from(names), max_size=most, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({name: fields[name] for name in chosen}))


def _text_condition(u: Universe) -> st.SearchStrategy[dict[str, Any]]:
    words = st.sampled_from(u.words)
    return _some_of({"equals": words, "in": st.lists(words, max_size=3), "contains": words, "startsWith": words}, 2)


def _int_condition(values: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    number = st.one_of(st.sampled_from(values or [0]), st.integers(-1, 40_000))
    return _some_of({"equals": number, "in": st.lists(number, max_size=3), "lt": number, "lte": number,
                     "gt": number, "gte": number}, 2)


def _date_condition(values: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    day = st.sampled_from(values)
    return _some_of({"equals": day, "lt": day, "lte": day, "gt": day, "gte": day}, 2)


def _boolean(leaf: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A filter type's own fields, combined with AND/OR/NOT up to three levels."""
    return st.recursive(leaf, lambda inner: st.one_of(
        st.builds(lambda a, b: {**a, "AND": b}, leaf, st.lists(inner, max_size=2)),
        st.builds(lambda a, b: {**a, "OR": b}, leaf, st.lists(inner, max_size=2)),
        st.builds(lambda a, b: {**a, "NOT": b}, leaf, inner)), max_leaves=3)


def municipality_filters(u: Universe, relations: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "county": st.sampled_from(u.counties), "countyIn": st.lists(st.sampled_from(u.counties), max_size=2),
        "association": st.sampled_from(u.territories), "nameContains": st.sampled_from(u.words),
        "minPopulation": st.sampled_from(u.populations), "maxPopulation": st.sampled_from(u.populations),
        "hasAdopted": st.sampled_from(u.solutions),
        "hasAdoptedStatus": st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3),
        "idIn": st.lists(st.sampled_from(u.municipalities), max_size=5), "name": _text_condition(u),
        "population": _int_condition(u.populations),
    }
    if relations:
        optional["adoptionsSome"] = adoption_filters(u, relations=False)
    return _boolean(_some_of(optional))


def adoption_filters(u: Universe, relations: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "solution": st.sampled_from(u.solutions), "within": st.sampled_from(u.territories),
        "status": st.lists(st.sampled_from(STATUSES), max_size=3), "since": st.sampled_from(u.dates),
        "active": st.booleans(), "idIn": st.lists(st.sampled_from(u.adoptions), max_size=4),
        "solutionIn": st.lists(st.sampled_from(u.solutions), max_size=3), "startedOn": _date_condition(u.dates),
    }
    if relations:
        optional["solutionIs"] = solution_filters(u, relations=False)
        optional["adopterMunicipalityIs"] = municipality_filters(u, relations=False)
    return _boolean(_some_of(optional))


def solution_filters(u: Universe, relations: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "text": st.sampled_from(u.words), "category": st.sampled_from(u.concepts),
        "need": st.sampled_from(u.concepts), "awarded": st.booleans(),
        "adoptedWithin": st.sampled_from(u.territories), "idIn": st.lists(st.sampled_from(u.solutions), max_size=3),
        "name": _text_condition(u), "categoryIn": st.lists(st.sampled_from(u.concepts), max_size=3),
    }
    if relations:
        optional["adoptionsSome"] = adoption_filters(u, relations=False)
    return _boolean(_some_of(optional))


CHECKS = settings(max_examples=20, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.data_too_large])


@CHECKS
@given(data=st.data())
def test_municipality_filters_agree_with_the_oracle(universe: Universe, data: st.DataObject) -> None:
    f = data.draw(municipality_filters(universe))
    expected = {m for m in universe.municipalities if universe.oracle.municipality(f, m)}
    assert universe.all_ids("municipalities", "MunicipalityFilter", f) == expected, f


@CHECKS
@given(data=st.data())
def test_adoption_filters_agree_with_the_oracle(universe: Universe, data: st.DataObject) -> None:
    f = data.draw(adoption_filters(universe))
    expected = {a for a in universe.adoptions if universe.oracle.adoption(f, a)}
    assert universe.all_ids("adoptions", "AdoptionFilter", f) == expected, f


@CHECKS
@given(data=st.data())
def test_solution_filters_agree_with_the_oracle(universe: Universe, data: st.DataObject) -> None:
    f = data.draw(solution_filters(universe))
    expected = {s for s in universe.solutions if universe.oracle.solution(f, s)}
    assert universe.all_ids("solutions", "SolutionFilter", f) == expected, f


def test_the_who_already_did_this_questions(pilot_store: Store) -> None:
    """The issue's two examples, against the oracle, and neither answer empty on the pilot data."""
    u = Universe(pilot_store)
    small_adopters = {"county": "County:13076", "population": {"lt": 5000},
                      "adoptionsSome": {"solutionIs": {"category": "Concept:topic-digitalisierung"}}}
    expected = {m for m in u.municipalities if u.oracle.municipality(small_adopters, m)}
    assert u.all_ids("municipalities", "MunicipalityFilter", small_adopters) == expected
    active_in_category = {"adoptionsSome": {"active": True,
                                            "solutionIs": {"category": "Concept:topic-verwaltungsmodernisierung"}}}
    expected = {m for m in u.municipalities if u.oracle.municipality(active_in_category, m)}
    assert expected and u.all_ids("municipalities", "MunicipalityFilter", active_in_category) == expected
    # hasAdopted counts the active statuses unless told otherwise
    any_status = {"hasAdopted": "Solution:kommunale-app", "hasAdoptedStatus": STATUSES}
    active = {"hasAdopted": "Solution:kommunale-app"}
    assert u.all_ids("municipalities", "MunicipalityFilter", active) <= u.all_ids(
        "municipalities", "MunicipalityFilter", any_status)


def test_nested_lists_take_the_same_filters(pilot_store: Store) -> None:
    u = Universe(pilot_store)
    f = {"OR": [{"population": {"lt": 1000}}, {"name": {"startsWith": "moe"}}], "NOT": {"name": {"contains": "dorf"}}}
    query = """query($f: MunicipalityFilter) { node(id: "County:01053") { ... on County {
      municipalities(filter: $f, first: 100) { totalCount edges { node { id } } } } } }"""
    page = u.api.data(query, {"f": f})["node"]["municipalities"]
    expected = {m for m in u.municipalities if u.oracle.raw.nodes[m]["county_ags"] == "01053"
                and u.oracle.municipality(f, m)}
    assert {e["node"]["id"] for e in page["edges"]} == expected and page["totalCount"] == len(expected) > 0


def _refusal(api: GraphQLClient, f: Any, input_type: str = "MunicipalityFilter") -> dict[str, Any]:  # noqa: ANN401
    body = api.post(LIST % {"field": "municipalities", "input": input_type}, {"f": f}).json()
    assert body.get("data") is None and body["errors"], body
    return body["errors"][0]


def test_huge_or_deep_filters_are_refused_with_a_code(pilot_store: Store) -> None:
    api = GraphQLClient(pilot_store)
    deep: dict[str, Any] = {"nameContains": "a"}
    for _ in range(12):
        deep = {"NOT": deep}
    error = _refusal(api, deep)
    assert error["extensions"]["code"] == "FILTER_LIMIT" and "nests" in error["message"]
    wide = {"OR": [{"nameContains": str(i)} for i in range(300)]}
    error = _refusal(api, wide)
    assert error["extensions"]["code"] == "FILTER_LIMIT" and "conditions" in error["message"]
    literal = "{ municipalities(filter: " + "{NOT: " * 12 + "{nameContains: \"a\"}" + "}" * 12 + ") { totalCount } }"
    body = api.post(literal).json()
    assert body["errors"][0]["extensions"]["code"] == "FILTER_LIMIT", body
    big_in = {"idIn": [f"Municipality:{i:08d}" for i in range(1000)]}
    assert _refusal(api, big_in)["extensions"]["code"] == "FILTER_LIMIT"
    fits = {"idIn": [f"Municipality:{i:08d}" for i in range(100)], "OR": [{"nameContains": "a"}] * 20}
    assert api.data(LIST % {"field": "municipalities", "input": "MunicipalityFilter"}, {"f": fits})


@pytest.mark.parametrize("f", [
    {"name": {"contains": "' OR 1=1 //"}}, {"name": {"in": ["}) MATCH (n) DETACH DELETE n //"]}},
    {"idIn": ["Municipality:01053001' OR '1'='1"]}, {"population": {"lt": 2**31 - 1}},
    {"name": {"startsWith": "\\u0000\\\\"}}, {"OR": []}, {"AND": []}, {"NOT": {}},
])
def test_odd_filter_values_are_values(pilot_store: Store, f: dict[str, Any]) -> None:
    u = Universe(pilot_store)
    expected = {m for m in u.municipalities if u.oracle.municipality(f, m)}
    assert u.all_ids("municipalities", "MunicipalityFilter", f) == expected
    assert len(u.oracle.of_label("Municipality")) == len(u.municipalities)  # nothing was deleted


@pytest.mark.parametrize(("f", "code"), [
    ({"county": "Municipality:01053001"}, "BAD_USER_INPUT"), ({"countyIn": ["County:99999"]}, "NOT_FOUND"),
    ({"population": {"lt": 2**31}}, "BAD_USER_INPUT"), ({"hasAdoptedStatus": ["active"]}, "BAD_USER_INPUT"),
    ({"AND": {"nameContains": "a"}, "and": []}, "BAD_USER_INPUT"),
])
def test_bad_filter_values_are_refused(pilot_store: Store, f: dict[str, Any], code: str) -> None:
    assert _refusal(GraphQLClient(pilot_store), f)["extensions"]["code"] == code


def test_generated_store_is_not_trivial(generated_store: Store, tmp_path: Path) -> None:
    """The generated graph has adoptions in several statuses and municipalities with and without them."""
    u = Universe(generated_store)
    statuses = {u.oracle.raw.nodes[a]["status"] for a in u.adoptions}
    assert len(statuses) >= 3 and len(u.solutions) >= 10


STATS = """query($f: AdoptionFilter) { adoptionStats(filter: $f) { total
  byStatus { key count } byYear { key count } byCounty { key label count } byCategory { key label count } } }"""


def _oracle_stats(u: Universe, f: dict[str, Any]) -> dict[str, Any]:
    """The chart counts computed from raw rows: adopter territories' ARS (an organisation's administered
    or served ones), a county being the first five ARS digits below Land level."""
    nodes, out = u.oracle.raw.nodes, u.oracle.out
    chosen = [a for a in u.adoptions if u.oracle.adoption(f, a)]

    def counties(a: str) -> set[str | None]:
        places = [x for x in out["BY"][a]]
        places += [t for x in out["BY"][a] for t in out["ADMINISTERS"][x] + out["SERVES"][x]]
        found = {f"County:{nodes[p]['ars'][:5]}" for p in places
                 if len(nodes[p].get("ars") or "") >= 5 and nodes[p]["ars"][2:5] != "000"}
        return found or {None}

    def buckets(keys: list[str | None]) -> list[tuple[str | None, int]]:
        return sorted(((k, keys.count(k)) for k in set(keys)), key=lambda kv: (kv[0] is None, kv[0] or ""))

    return {"total": len(chosen),
            "byStatus": buckets([nodes[a]["status"] for a in chosen]),
            "byYear": buckets([(nodes[a].get("started_on") or "")[:4] or None for a in chosen]),
            "byCounty": buckets([c for a in chosen for c in counties(a)]),
            "byCategory": buckets([c for a in chosen for s in out["OF"][a] for c in (out["IN_CATEGORY"][s] or [None])])}


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_adoption_counts_for_charts_agree_with_the_oracle(universe: Universe, data: st.DataObject) -> None:
    f = data.draw(st.one_of(st.just({}), adoption_filters(universe)))
    stats = universe.api.data(STATS, {"f": f})["adoptionStats"]
    got = {"total": stats["total"], **{k: [(b["key"], b["count"]) for b in stats[k]]
                                       for k in ("byStatus", "byYear", "byCounty", "byCategory")}}
    assert got == _oracle_stats(universe, f), f
    nodes = universe.oracle.raw.nodes
    for bucket in stats["byCounty"] + stats["byCategory"]:
        if bucket["key"] in nodes:
            assert bucket["label"] == (nodes[bucket["key"]].get("name") or nodes[bucket["key"]].get("label"))
