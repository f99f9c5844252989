"""Stored XSS through a URL (issue 15, part 6), in a real browser: two walls, each tested alone.

Input checks refuse `javascript:` URLs today, but a database written before them (or by hand)
may hold one. Such values are written straight into the store here; the Explorer must show
them as text, never as a link (dom.js), and the server's Content-Security-Policy must refuse to
run a `javascript:` URL even where a page did make it a link (checked by adding one by hand).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.store import open_store
from tests.browser import chromium, needs_browser, serving

HOSTILE = {  # node id -> stored url
    "Solution:digitale-lokale-agenda": "javascript:document.title='pwned'",
    "Organization:kreisverwaltung-ludwigslust-parchim": " JaVaScRiPt:document.title='pwned'",
    "Project:wir-landvorteil": "data:text/html,<script>parent.document.title='pwned'</script>",
}
FINE = "Project:landvorteil-innovationsatlas"  # keeps its https URL: the check is not vacuous
ROUTES = {"Solution": "loesung", "Organization": "knoten", "Project": "knoten"}
BAD_LINKS = """return [...document.querySelectorAll('[href], [src], [action]')]
  .map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action'))
  .filter((u) => !['http:', 'https:'].includes(new URL(u, document.baseURI).protocol));"""


pytestmark = needs_browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path_factory.mktemp("xss") / "graph.lbdb")))
    load_sample(store)
    with store.transaction() as run:
        for node_id, url in HOSTILE.items():
            label = node_id.partition(":")[0]
            run(f"MATCH (n:{label} {{id: $id}}) SET n.url = $url", {"id": node_id, "url": url})
    with serving(create_app(Settings(), store=store)) as base:
        yield base
    store.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def _open(driver: Any, base: str, node_id: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    route = ROUTES[node_id.partition(":")[0]]
    driver.get(f"{base}#/{route}/{quote(node_id)}")
    WebDriverWait(driver, 30, poll_frequency=0.1).until(lambda d: d.execute_script(
        f"const p = document.querySelector('.page[data-route=\"{route}\"]'); return p && p.dataset.ready === 'true';"),
        message=f"the page of {node_id}")


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


@pytest.mark.parametrize("node_id", sorted(HOSTILE))
def test_a_stored_non_http_url_is_shown_as_text_not_as_a_link(server: str, browser: Any, node_id: str) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, server, node_id)
    assert browser.execute_script(BAD_LINKS) == []
    shown = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".unlinked")]
    assert HOSTILE[node_id].strip() in shown
    for element in browser.find_elements(By.CSS_SELECTOR, ".unlinked"):
        element.click()
    assert "pwned" not in browser.title
    assert _severe(browser) == []  # the page itself breaks no rule of the policy


def test_an_https_url_still_becomes_a_link(server: str, browser: Any) -> None:
    _open(browser, server, FINE)
    hrefs = browser.execute_script("return [...document.querySelectorAll('a[href^=\"https:\"]')].map((a) => a.href)")
    assert "https://landvorteil.org/" in hrefs
    assert _severe(browser) == []


def test_the_content_security_policy_refuses_a_javascript_link_that_a_page_did_make(server: str,
                                                                                    browser: Any) -> None:
    """The second wall alone: an anchor made by hand, as a future view might, is refused by the CSP."""
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, server, "Solution:digitale-lokale-agenda")
    browser.execute_script("window.violations = [];"
                           "document.addEventListener('securitypolicyviolation', (e) => violations.push(e.blockedURI));"
                           "const a = document.createElement('a');"
                           "a.setAttribute('href', \"javascript:document.title='pwned'\"); a.textContent = 'x';"
                           "document.body.append(a); a.click();")
    WebDriverWait(browser, 30, poll_frequency=0.1).until(lambda d: d.execute_script("return violations.length"),
                                                         message="the browser reporting the refused javascript: URL")
    assert browser.execute_script("return violations") == ["inline"]
    assert "pwned" not in browser.title
    browser.get_log("browser")  # the refusal is logged as an error, on purpose

