"""GraphiQL and every Explorer route in headless Chromium, at desktop and phone size, under the
strictest Content-Security-Policy (`default-src 'self'`): no request may leave for another origin,
the console stays free of errors, and no page shows the literal text "null" or "undefined".

The policy is added by the test on top of whatever the app sends (a browser enforces every
policy it receives), so the pages are held to it even where the app's own policy is looser.
Screenshots land in `test-artifacts/frontends/`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.ingest import load_sample
from graph_api.store import open_store
from tests.browser import SIZES, assert_clean, chromium, needs_browser, open_at_size, serving, wait_for

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "frontends"
STRICT_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
HAGENOW = "Municipality:13076060"
COUNTY = "County:13076"
SOLUTION = "Solution:digitale-lokale-agenda"
ORGANISATION = "Organization:kreisverwaltung-ludwigslust-parchim"
# every route of graph_api/static/explorer/js/main.js, with the page (data-route) it renders
EXPLORER_ROUTES = {
    "": "suche",
    "#/suche?q=Hagenow": "suche",
    "#/gemeinden": "gemeinden",
    f"#/gemeinde/{quote(HAGENOW)}": "gemeinde",
    f"#/kreis/{quote(COUNTY)}": "kreis",
    "#/gemeinde/13076060": "gemeinde",  # a bare official key, as people type or paste it
    "#/gemeinde/13076003": "gemeinde",  # a village with nothing recorded: the empty state and the nearest adopters
    "#/kreis/13076": "kreis",
    f"#/kreis/13076?luecken={quote('Concept:topic-klimaschutz')}": "kreis",  # the dashboard's gaps of one topic
    "#/netzwerk": "netzwerk",
    f"#/netzwerk?kreis={quote(COUNTY)}&von={quote(ORGANISATION)}&nach={quote(HAGENOW)}": "netzwerk",
    f"#/loesung/{quote(SOLUTION)}": "loesung",
    f"#/knoten/{quote(ORGANISATION)}": "knoten",
    "#/bedarfe/13076": "bedarfe",  # the needs log of a county
    "#/loesungen": "loesungen",
    f"#/loesungen?kreis={quote(COUNTY)}&status=ADOPTED": "loesungen",
    "#/loesungen?jahr=1900": "loesungen",  # nothing left: the empty state, no table
}
pytestmark = needs_browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn on a free port, with the sample loaded and the strict policy added."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path_factory.mktemp("frontends") / "graph.lbdb")))
    load_sample(store)
    app = create_app(Settings(), store=store)

    @app.middleware("http")
    async def strict_policy(request: Any, call_next: Any) -> Any:  # noqa: ANN401 - Starlette types
        response = await call_next(request)
        response.headers.append("Content-Security-Policy", STRICT_POLICY)
        return response

    with serving(app) as base:
        yield base
    store.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium(tmp_path_factory.mktemp("chromium-profile"), performance_log=True) as driver:
        yield driver


@pytest.mark.parametrize("size", SIZES)
def test_graphiql_starts_offline_and_runs_a_query(server: str, browser: Any, size: str) -> None:
    from selenium.webdriver.common.by import By

    query = "{ municipalities(first: 3) { edges { node { id name } } } }"
    open_at_size(browser, f"{server}graphql?q={quote(query)}", size)
    wait_for(browser, "return document.querySelector('.graphiql-execute-button')", "GraphiQL to start")
    wait_for(browser, "return document.querySelector('.graphiql-query-editor .CodeMirror')", "the query editor")
    browser.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
    expected = httpx.post(server + "graphql", json={"query": query}, timeout=30).json()
    names = [e["node"]["name"] for e in expected["data"]["municipalities"]["edges"]]
    assert names
    result = wait_for(browser, "const r = document.querySelector('.result-window .CodeMirror');"
                               "const t = r && r.CodeMirror.getValue(); return t && t.includes('\"data\"') && t;",
                      "the query result")
    assert json.loads(result) == expected
    assert_clean(browser, server, f"graphiql-query-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_graphiql_opens_on_the_example_queries(server: str, browser: Any, size: str) -> None:
    open_at_size(browser, f"{server}graphql", size)
    editor = wait_for(browser, "const e = document.querySelector('.graphiql-query-editor .CodeMirror');"
                               "return e && e.CodeMirror.getValue();", "the query editor")
    examples = httpx.get(server + "graphiql/examples.graphql", timeout=30).text
    assert editor == examples
    assert_clean(browser, server, f"graphiql-examples-{size}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("route", EXPLORER_ROUTES)
def test_explorer_route_is_clean(server: str, browser: Any, route: str, size: str) -> None:
    page = EXPLORER_ROUTES[route]
    open_at_size(browser, server + route, size)
    wait_for(browser, f"const p = document.querySelector('.page[data-route=\"{page}\"]');"
                      " return p && p.dataset.ready === 'true';", f"the {page} page")
    assert browser.execute_script("return document.getElementById('fehler').hidden"), \
        browser.execute_script("return document.getElementById('fehler').textContent")
    assert browser.execute_script("return document.querySelector('main h1') !== null")
    # every table downloads as CSV and has rows (an empty result is an explanation, never bare headers);
    # every drawn graph, chart and map downloads as PNG
    tables = browser.execute_script(
        "return [...document.querySelectorAll('main table.data')].map(t => [t.id, t.tBodies[0] ? "
        "t.tBodies[0].rows.length : 0, Boolean(t.closest('.table-block') && "
        "t.closest('.table-block').querySelector('button[data-csv-for]'))])")
    assert [t for t in tables if not t[1] or not t[2]] == [], tables
    figures = browser.execute_script(
        "return [...document.querySelectorAll('main figure')].filter(f => f.querySelector('canvas, .graph-canvas, "
        ".map-canvas')).map(f => [f.id, Boolean(f.querySelector('button[data-png]'))])")
    assert [f for f in figures if not f[1]] == [], figures
    slug = re.sub(r"[^a-z0-9]+", "-", route.lower()).strip("-") or "start"
    assert_clean(browser, server, f"explorer-{slug[:60]}-{size}")


def test_county_page_groups_every_association_kind(server: str, browser: Any) -> None:
    """Verbandsgemeinden, Samtgemeinden, Verwaltungsgemeinschaften ... are groups like Ämter; only the
    verbandsfreie Gemeinden (their association is their own record) are gathered as "frei"."""
    open_at_size(browser, server + "#/gemeinden", "desktop")
    kinds = ["Amt", "Samtgemeinde", "Verbandsgemeinde", "Verwaltungsgemeinschaft", "Kirchspielslandgemeinde",
             "Verwaltungsverband", "Verbandsgemeinde (Trägermodell)", "Erfüllende Gemeinde"]
    municipalities = [{"id": f"m{i}", "name": f"Ort {i}", "association": {"id": f"a{i}", "name": f"Verband {i}",
                                                                           "kind": kind}}
                      for i, kind in enumerate(kinds)]
    municipalities.append({"id": "mf", "name": "Frei", "association": {"id": "af", "name": "Frei",
                                                                         "kind": "verbandsfreie Gemeinde"}})
    groups = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import('/explorer/js/views/territories.js').then((m) => done(m.groupByAmt(arguments[0]).map("
        "(g) => [g.id, g.members.map((x) => x.id)])));", municipalities)
    assert sorted(map(tuple, [(g, tuple(m)) for g, m in groups])) == sorted(
        [(f"a{i}", (f"m{i}",)) for i in range(len(kinds))] + [("frei", ("mf",))])
