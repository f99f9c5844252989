"""The Explorer's solution profile ("Steckbrief") and the needs log of a county, in a real browser:
what the page shows is compared with the GraphQL answer of the same data, the page stays clean under
the CSP (no foreign request, no console error, no "null"), and a restricted channel never shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import (
    assert_clean,
    chromium,
    needs_browser,
    open_at_size,
    serving_sample,
    wait_for,
    wait_ready,
)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "explorer"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving_sample(tmp_path_factory.mktemp("profiles")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile"), performance_log=True) as driver:
        yield driver


def gql(base: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = httpx.post(base + "graphql", json={"query": query, "variables": variables}, timeout=30).json()
    assert not body.get("errors"), body
    return body["data"]


PROFILE = """query($id: ID!) { node(id: $id) { ... on Solution { evidence { id } derivedFrom { id }
    maintainers { organization { id } } fundedBy { id } lessonsLearned } } }"""


@needs_browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_solution_page_shows_the_profile_as_the_api_states_it(server: str, browser: Any, size: str) -> None:
    solution = "Solution:online-terminvergabe"
    open_at_size(browser, server + f"#/loesung/{solution}", size)
    wait_ready(browser, "loesung")
    expected = gql(server, PROFILE, {"id": solution})["node"]
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#wirkungsnachweise li')].map(li => li.dataset.id)")
    assert shown == [e["id"] for e in expected["evidence"]] and shown
    facts = browser.execute_script("return document.getElementById('steckbrief').innerText")
    for term in ("Entwicklungsstand", "Einmalige Kosten", "Laufende Kosten pro Jahr", "Abgeleitet von",
                 "Gefördert durch", "Setzt Verwaltungsleistungen um"):
        assert term in facts
    assert "2.000–8.000 €" in facts  # the cost range, formatted as German readers expect
    hrefs = browser.execute_script("return [...document.querySelectorAll('#steckbrief a')].map(a => "
                                   "decodeURIComponent(a.getAttribute('href')))")
    for node in [*expected["derivedFrom"], *expected["fundedBy"]]:
        assert any(href.endswith(node["id"]) for href in hrefs), node
    assert_clean(browser, server, f"profil-{size}", ARTIFACTS)


NEEDS = """query($c: ID!) { openNeeds(county: $c, first: 3) { need { id } bestMatches { solution { id } } } }"""


@needs_browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_needs_log_of_a_county_lists_the_open_needs_with_their_matches(server: str, browser: Any,
                                                                          size: str) -> None:
    open_at_size(browser, server + "#/bedarfe/13076", size)
    wait_ready(browser, "bedarfe")
    expected = gql(server, NEEDS, {"c": "County:13076"})["openNeeds"]
    assert expected
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#bedarfsliste > li')].map(li => [li.dataset.id, "
        "[...li.querySelectorAll('.treffer > li')].map(m => m.dataset.id)])")
    assert shown == [[n["need"]["id"], [m["solution"]["id"] for m in n["bestMatches"]]] for n in expected]
    text = browser.execute_script("return document.body.innerText")
    assert "erfasst am" in text and "lotsen-intern" not in text
    assert "passt zum erfassten Bedarf" in text  # the API's reasons appear in German
    assert_clean(browser, server, f"bedarfe-{size}", ARTIFACTS)


@needs_browser
def test_a_needs_log_without_a_county_says_so(server: str, browser: Any) -> None:
    open_at_size(browser, server + "#/bedarfe", "desktop")
    wait_ready(browser, "bedarfe")
    message = wait_for(browser, "const e = document.getElementById('fehler'); return !e.hidden && e.textContent",
                       "the error box")
    assert "Kreis" in message
