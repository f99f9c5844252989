"""The Explorer web app: served at `/` (fast checks) and driven in headless Chromium (browser checks).

The browser test starts the real server on a fresh LadybugDB with the bundled sample and
compares what the pages show with what the GraphQL API answers to the same questions, so it
holds however the pilot data grows. Screenshots land in `test-artifacts/explorer/`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.http.explorer import STATIC_DIR
from graph_api.store import Store
from tests.browser import chromium, needs_browser, serving_sample

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "explorer"
HAGENOW = "Municipality:13076060"
KREISVERWALTUNG = "Organization:kreisverwaltung-ludwigslust-parchim"
COUNTY = "County:13076"


# ---- fast checks, no browser ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(), store=pilot_store))


def test_root_serves_the_explorer_page_and_other_routes_still_answer(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="de">' in page.text
    assert 'src="explorer/vendor/cytoscape.min.js"' in page.text and 'src="explorer/js/main.js"' in page.text
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    answer = client.post("/graphql", json={"query": "query($id: ID!) { node(id: $id) { id } }",
                                           "variables": {"id": HAGENOW}})
    assert answer.json() == {"data": {"node": {"id": HAGENOW}}}
    assert client.get("/no-such-page").status_code == 404


def test_vendored_cytoscape_is_served_with_its_licence(client: TestClient) -> None:
    library = client.get("/explorer/vendor/cytoscape.min.js")
    assert library.status_code == 200 and "javascript" in library.headers["content-type"]
    assert "cytoscape" in library.text[:2000].lower() and len(library.content) > 100_000
    licence = client.get("/explorer/vendor/cytoscape.LICENSE.txt")
    assert licence.status_code == 200
    assert "Permission is hereby granted, free of charge" in licence.text and "Cytoscape Consortium" in licence.text


def test_vendored_leaflet_is_served_with_its_licence_and_needs_no_tiles(client: TestClient) -> None:
    library = client.get("/explorer/vendor/leaflet.js")
    assert library.status_code == 200 and "javascript" in library.headers["content-type"]
    assert "Leaflet" in library.text[:500] and len(library.content) > 100_000
    assert client.get("/explorer/vendor/leaflet.css").status_code == 200
    licence = client.get("/explorer/vendor/leaflet.LICENSE.txt").text
    assert "BSD 2-Clause" in licence or "Redistribution and use in source and binary forms" in licence
    page = client.get("/").text
    assert 'href="explorer/vendor/leaflet.css"' in page and 'src="explorer/vendor/leaflet.js"' in page
    source = (STATIC_DIR / "js" / "map.js").read_text(encoding="utf-8")
    assert "tileLayer" not in source and "GeoNames" in source and "CC BY 4.0" in source


def test_every_module_import_resolves_and_nothing_outside_the_folder_is_served(client: TestClient) -> None:
    modules = sorted(p.relative_to(STATIC_DIR).as_posix() for p in STATIC_DIR.rglob("*.js") if "vendor" not in p.parts)
    assert "js/main.js" in modules and "js/api.js" in modules and "js/graph.js" in modules
    for module in modules:
        source = client.get(f"/explorer/{module}")
        assert source.status_code == 200, module
        for target in re.findall(r"^import .* from '([^']+)';", source.text, flags=re.MULTILINE):
            resolved = os.path.normpath(os.path.join(os.path.dirname(module), target))
            assert client.get(f"/explorer/{resolved}").status_code == 200, f"{module} imports {target}"
    assert client.get("/explorer/../http/explorer.py").status_code == 404
    assert client.get("/explorer/%2e%2e/http/explorer.py").status_code == 404


def test_the_app_only_posts_graphql_with_variables() -> None:
    """Queries are fixed texts; no view splices values into a query string."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in (STATIC_DIR / "js").rglob("*.js")}
    fetching = [name for name, text in sources.items() if "fetch(" in text]
    assert fetching == ["api.js"]
    assert "method: 'POST'" in sources["api.js"] and "JSON.stringify({ query, variables })" in sources["api.js"]
    queries = sources["queries.js"]
    interpolations = set(re.findall(r"\$\{(\w+)", queries))
    assert interpolations <= {"NODE_REF", "ADOPTER", "ADOPTER_PLACE"}, interpolations


# ---- the real browser -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn on a free port, on a fresh LadybugDB loaded with the sample."""
    with serving_sample(tmp_path_factory.mktemp("explorer")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def gql(base: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = httpx.post(base + "graphql", json={"query": query, "variables": variables}, timeout=30).json()
    assert not body.get("errors"), body
    return body["data"]


def wait_for(driver: Any, script: str, what: str, timeout: float = 30) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
        lambda d: d.execute_script(script), message=f"timed out waiting for {what}")


def wait_ready(driver: Any, route: str) -> None:
    wait_for(driver, f"const p = document.querySelector('.page[data-route=\"{route}\"]');"
                     " return p && p.dataset.ready === 'true';", f"the {route} page")


def screenshot(driver: Any, name: str, width: int = 1280) -> Path:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(800, min(height + 120, 5000)))
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), path
    driver.set_window_size(1280, 1000)
    return path


def no_error_shown(driver: Any) -> None:
    assert driver.execute_script("return document.getElementById('fehler').hidden"), \
        driver.execute_script("return document.getElementById('fehler').textContent")
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe


def search_and_pick(driver: Any, picker: str, text: str, node_id: str) -> None:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.CSS_SELECTOR, f"[data-picker='{picker}'] input[type='search']")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.CSS_SELECTOR, f"[data-picker='{picker}'] .inline button").click()
    wait_for(driver, f"return document.querySelector(\"[data-picker='{picker}'] button[data-id='{node_id}']\")",
             f"{node_id} among the hits").click()
    chosen = driver.find_element(By.CSS_SELECTOR, f"[data-picker='{picker}'] .chosen")
    assert chosen.get_attribute("data-chosen-id") == node_id


ADOPTIONS = """query($id: ID!, $after: String) { node(id: $id) { ... on Municipality {
  adoptions(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
    edges { node { id status solution { id }
      learnedFrom { adopter { ... on Territory { id } ... on Organization { id } } } } } }
} } }"""
RECOMMEND = """query($id: ID!) { recommendSolutions(municipality: $id, first: 5) {
  solution { id } reasons illustrativeAdopterCount
  nearestAdopters { ... on Territory { id } ... on Organization { id } } } }"""
PATHS = """query($a: ID!, $b: ID!) { contactPaths(from: $a, to: $b, maxHops: 4, first: 5) { steps { node { id } } } }"""
LINEAGE = """query($s: ID!) { transferLineage(solution: $s) {
  adopter { ... on Territory { id } ... on Organization { id } } learnedFrom { id } } }"""
BRIDGES = """query($c: ID!) { countyMunicipalBridges(county: $c, first: 30) { node { id } }
  keyPersonRisks(county: $c) { risks { person { id } } } }"""


def _all_adoptions(base: str, municipality: str) -> list[dict[str, Any]]:
    nodes, after = [], None
    while True:
        connection = gql(base, ADOPTIONS, {"id": municipality, "after": after})["node"]["adoptions"]
        nodes += [e["node"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


@needs_browser
def test_search_then_municipality_page_matches_the_api(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server)
    wait_ready(browser, "suche")
    box = browser.find_element(By.ID, "suchtext")
    box.send_keys("Hagenow")
    browser.find_element(By.CSS_SELECTOR, "form[role='search'] button[type='submit']").click()
    hit = wait_for(browser, f"return document.querySelector(\"[data-group='Municipality'] li[data-id='{HAGENOW}'] a\")",
                   "Hagenow among the municipalities")
    groups = browser.execute_script("return [...document.querySelectorAll('.result-group')].map(g => g.dataset.group)")
    assert "Municipality" in groups and len(groups) == len(set(groups))
    screenshot(browser, "01-suche-hagenow")
    hit.click()
    wait_ready(browser, "gemeinde")
    while browser.execute_script("const b = [...document.querySelectorAll('button')]"
                                 ".find(x => x.textContent.startsWith('Weitere Übernahmen')); "
                                 "if (b && !b.hidden) { b.click(); return true; } return false;"):
        wait_for(browser, "return !document.querySelector('button:disabled')", "the next page of adoptions")
    no_error_shown(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hagenow, Stadt"
    tree = browser.execute_script("return [...document.querySelectorAll('nav.breadcrumb li a')].map(a => a.hash)")
    assert any("State" in h for h in tree) and any(COUNTY.replace(":", "%3A") in h for h in tree)

    expected = _all_adoptions(server, HAGENOW)
    shown = browser.execute_script("return [...document.querySelectorAll('#uebernahmen tbody tr')]"
                                   ".map(r => [r.dataset.solutionId, r.dataset.status])")
    assert expected, "the sample should give Hagenow adoptions"
    assert sorted(map(tuple, shown)) == sorted((a["solution"]["id"], a["status"]) for a in expected)
    teachers = {t["adopter"]["id"] for a in expected for t in a["learnedFrom"]}
    shown_teachers = browser.execute_script("return [...document.querySelectorAll('#gelernt-von li[data-id]')]"
                                            ".map(li => li.dataset.id)")
    assert set(shown_teachers) == teachers

    recommended = gql(server, RECOMMEND, {"id": HAGENOW})["recommendSolutions"]
    cards = browser.execute_script(
        "return [...document.querySelectorAll('#empfehlungen > li')].map(li => [li.dataset.solutionId, "
        "li.querySelectorAll('.reasons li').length, [...li.querySelectorAll('a[data-id]')].map(a => a.dataset.id)])")
    assert [c[0] for c in cards] == [r["solution"]["id"] for r in recommended]
    assert [c[1] for c in cards] == [len(r["reasons"]) for r in recommended]
    flagged = browser.execute_script("return [...document.querySelectorAll('#empfehlungen > li')]"
                                     ".map(li => +(li.querySelector('.evidence')?.dataset.illustrative || 0))")
    assert flagged == [r["illustrativeAdopterCount"] for r in recommended]
    # the adopters the API names, nearest on the ground first (those without a location last)
    assert [sorted(c[2]) for c in cards] == [sorted(a["id"] for a in r["nearestAdopters"] if a) for r in recommended]
    kms = browser.execute_script("return [...document.querySelectorAll('#empfehlungen > li')].map(li => "
                                 "[...li.querySelectorAll('a[data-id]')].map(a => a.dataset.km))")
    for listed in kms:
        known = [float(k) for k in listed if k]
        assert known == sorted(known) and all(listed[: len(known)])
    reasons = browser.execute_script("return [...document.querySelectorAll('#empfehlungen .reasons li')]"
                                     ".map(li => li.textContent)")
    english = [r for r in reasons if re.match(r"(in use|awarded|received|addresses|maturity|no active)", r)]
    assert reasons and english == [], english
    screenshot(browser, "02-gemeinde-hagenow")
    screenshot(browser, "02b-gemeinde-hagenow-tablet", width=768)


@needs_browser
def test_contact_path_drawn_between_picked_nodes_matches_the_api(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "#/netzwerk")
    wait_ready(browser, "netzwerk")
    search_and_pick(browser, "von", "Kreisverwaltung Ludwigslust-Parchim", KREISVERWALTUNG)
    search_and_pick(browser, "nach", "Hagenow", HAGENOW)
    browser.find_element(By.CSS_SELECTOR, "form.path-form button[type='submit']").click()
    wait_for(browser, "return Boolean(window.explorerGraphs && window.explorerGraphs['pfad-graph'])",
             "the drawn contact paths")
    wait_ready(browser, "netzwerk")
    no_error_shown(browser)
    drawn_nodes = browser.execute_script("return window.cy.nodes().map(n => n.id())")
    drawn_edges = browser.execute_script("return window.cy.edges().map(e => [e.source().id(), e.target().id()])")

    paths = gql(server, PATHS, {"a": KREISVERWALTUNG, "b": HAGENOW})["contactPaths"]
    assert paths, "the sample should connect the Kreisverwaltung with Hagenow"
    ids = [[s["node"]["id"] for s in p["steps"]] for p in paths]
    assert set(drawn_nodes) == {i for path in ids for i in path}
    expected_edges = {frozenset(pair) for path in ids for pair in zip(path, path[1:], strict=False)}
    assert {frozenset(e) for e in drawn_edges} == expected_edges
    listed = browser.execute_script("return [...document.querySelectorAll('#pfade ol.paths > li')]"
                                    ".map(li => li.textContent)")
    assert len(listed) == len(paths)
    # contacts have no direction: steps are named by nouns between dashes, never arrows that read backwards
    assert all("→" not in text and " – " in text for text in listed), listed
    screenshot(browser, "03-kontaktpfad-kreis-hagenow")

    # Clicking a node opens its page.
    browser.execute_script(f"window.cy.getElementById('{HAGENOW}').emit('tap')")
    wait_ready(browser, "gemeinde")
    assert "Municipality%3A13076060" in browser.current_url


@needs_browser
def test_county_network_and_solution_lineage_match_the_api(server: str, browser: Any) -> None:
    browser.get(server + f"#/netzwerk?kreis={COUNTY}")
    wait_ready(browser, "netzwerk")
    no_error_shown(browser)
    expected = gql(server, BRIDGES, {"c": COUNTY})
    rows = browser.execute_script("return [...document.querySelectorAll('#bruecken tbody tr')].map(r => r.dataset.id)")
    assert rows == [b["node"]["id"] for b in expected["countyMunicipalBridges"]]
    risky = browser.execute_script("return window.explorerGraphs['bruecken-graph'].nodes('.risk').map(n => n.id())")
    bridge_ids = set(rows)
    assert set(risky) == {r["person"]["id"] for r in expected["keyPersonRisks"]["risks"]} & bridge_ids
    screenshot(browser, "04-kreis-netzwerk")

    solution = "Solution:digitale-lokale-agenda"
    browser.get(server + f"#/loesung/{solution}")
    wait_ready(browser, "loesung")
    no_error_shown(browser)
    lineage = gql(server, LINEAGE, {"s": solution})["transferLineage"]
    graph = browser.execute_script("const cy = window.explorerGraphs['lineage-graph']; "
                                   "return [cy.nodes().map(n => n.id()), cy.edges().length]")
    assert set(graph[0]) == {a["adopter"]["id"] for a in lineage}
    assert graph[1] == sum(len(a["learnedFrom"]) for a in lineage)
    timeline = browser.execute_script("return document.querySelectorAll('#zeitleiste li').length")
    assert timeline == len(lineage)
    screenshot(browser, "05-loesung-lineage")

    browser.get(server + f"#/kreis/{COUNTY}")
    wait_ready(browser, "kreis")
    no_error_shown(browser)
    listed = browser.execute_script("return document.querySelectorAll('#gemeindeliste li[data-id]').length")
    total = gql(server, "query($c: ID!) { municipalities(filter: {county: $c}) { totalCount } }",
                {"c": COUNTY})["municipalities"]["totalCount"]
    assert listed == total
    screenshot(browser, "06-kreis-gemeindeliste")


ERROR_TEXT = "const e = document.getElementById('fehler'); return e.hidden ? '' : e.textContent"


@needs_browser
def test_errors_are_shown_to_the_user(server: str, browser: Any) -> None:
    browser.get(server + "#/loesung/keine-kennung")
    wait_ready(browser, "loesung")
    message = browser.execute_script(ERROR_TEXT)
    assert "konnte nicht geladen werden" in message and "not a valid id" in message
    browser.get(server + "#/gemeinde/Municipality:99999999")
    wait_ready(browser, "gemeinde")
    message = browser.execute_script(ERROR_TEXT)
    assert "Municipality:99999999" in message
    screenshot(browser, "07-fehler")
    browser.get_log("browser")  # the failed requests above are expected console errors


SOURCES = """query($id: ID!) { node(id: $id) { illustrative sourceRecords { id illustrative } } }"""


@needs_browser
def test_every_details_page_names_its_sources_and_flags_illustrative_data(server: str, browser: Any) -> None:
    for node_id in ("Adoption:hagenow-digitale-lokale-agenda", "Adoption:boizenburg-digitale-lokale-agenda"):
        browser.get(server + f"#/knoten/{node_id}")
        wait_ready(browser, "knoten")
        no_error_shown(browser)
        expected = gql(server, SOURCES, {"id": node_id})["node"]
        shown = browser.execute_script(
            "const s = document.getElementById('abschnitt-quellen').parentElement;"
            "return [[...s.querySelectorAll('li[data-id]')].map(li => li.dataset.id), !!s.querySelector('.note')]")
        assert sorted(shown[0]) == sorted(s["id"] for s in expected["sourceRecords"])
        assert shown[1] is expected["illustrative"]
    screenshot(browser, "07-quellen")
