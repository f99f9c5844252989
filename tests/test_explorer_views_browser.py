"""The Explorer's catalogue, county dashboard and map in headless Chromium, checked against an
independent reading of the same graph: the expected rows are computed here in plain Python from
the API's raw lists (solutions, adoptions with their adopters' official keys), not copied from
what the page shows. Downloads (CSV, PNG) are saved by the real browser and read back.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

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

pytestmark = needs_browser
COUNTY = "County:13076"
ACTIVE = {"PILOT", "ADOPTED", "SCALED"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving_sample(tmp_path_factory.mktemp("views")) as base:
        yield base


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile"), performance_log=True) as driver:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver


def gql(base: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = httpx.post(base + "graphql", json={"query": query, "variables": variables or {}}, timeout=60).json()
    assert not body.get("errors"), body
    return body["data"]


def every(base: str, field: str, selection: str) -> list[dict[str, Any]]:
    """All nodes of a root connection, page by page."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql(base, f"query($after: String) {{ {field}(first: 100, after: $after) {{ pageInfo {{ hasNextPage "
                         f"endCursor }} edges {{ node {{ {selection} }} }} }} }}", {"after": after})[field]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def saved(folder: Path, name: str, timeout: float = 20) -> Path:
    """The file the browser saved as `name` (complete, not a partial download)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path = folder / name
        if path.exists() and path.stat().st_size and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded; the folder holds {sorted(p.name for p in folder.iterdir())}")


def table_ids(driver: Any, table: str) -> list[str]:  # noqa: ANN401
    return driver.execute_script(f"return [...document.querySelectorAll('#{table} tbody tr')].map(r => r.dataset.id)")


def expected_catalogue(base: str, county: str | None = None, status: str | None = None,
                       topic: str | None = None) -> set[str]:
    """Solution ids the catalogue must list for the filters, from the raw lists: a solution qualifies
    when it has the topic and one adoption meets every adoption filter (adopter's ARS, or the ARS of
    a territory the adopting organisation serves, inside the county; the status)."""
    solutions = every(base, "solutions", "id categories { id }")
    adoptions = every(base, "adoptions", "status solution { id } adopter { __typename ... on Territory { ars } "
                                         "... on Organization { territories { ars } } }")
    wanted = set()
    for s in solutions:
        if topic and topic not in {c["id"] for c in s["categories"]}:
            continue
        if county is None and status is None:
            wanted.add(s["id"])
            continue
        for a in adoptions:
            if a["solution"]["id"] != s["id"] or (status and a["status"] != status):
                continue
            keys = [t["ars"] for t in a["adopter"]["territories"]] if a["adopter"]["__typename"] == "Organization" \
                else [a["adopter"]["ars"]]
            if county is None or any(k.startswith(county.split(":")[1]) for k in keys):
                wanted.add(s["id"])
    return wanted


def test_catalogue_lists_every_solution_and_filters_like_the_raw_lists(server: str, browser: Any,
                                                                       downloads: Path) -> None:
    from selenium.webdriver.support.ui import Select

    open_at_size(browser, server + "#/loesungen", "desktop")
    wait_ready(browser, "loesungen")
    assert set(table_ids(browser, "katalog")) == expected_catalogue(server)

    # the count a choice promises is the number of rows it leaves, and the rows are the oracle's
    option = browser.execute_script(
        f"return [...document.querySelectorAll('#filter-kreis option')].find(o => o.value === '{COUNTY}').text")
    promised = int(option.rsplit("(", 1)[1].rstrip(")"))
    Select(browser.find_element("id", "filter-kreis")).select_by_value(COUNTY)
    rows = table_ids(browser, "katalog")
    assert len(rows) == promised and set(rows) == expected_catalogue(server, county=COUNTY)
    Select(browser.find_element("id", "filter-status")).select_by_value("ADOPTED")
    rows = table_ids(browser, "katalog")
    assert set(rows) == expected_catalogue(server, county=COUNTY, status="ADOPTED")
    assert rows, "the sample should have adopted solutions in Ludwigslust-Parchim"
    assert "kreis=County%3A13076" in browser.current_url and "status=ADOPTED" in browser.current_url

    # CSV: the table as shown, one line per row, every solution named
    browser.find_element("css selector", "button[data-csv-for='katalog']").click()
    with saved(downloads, "loesungskatalog.csv").open(encoding="utf-8-sig") as f:
        lines = list(csv.reader(f, delimiter=";"))
    names = gql(server, "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Solution { name } } }", {"ids": rows})
    assert lines[0][0] == "Lösung" and len(lines) == len(rows) + 1
    assert [line[0] for line in lines[1:]] == [n["name"] for n in names["nodes"]]
    assert_clean(browser, server, "katalog-kreis-eingefuehrt")


def test_catalogue_filter_from_the_address_and_an_empty_result_that_suggests(server: str, browser: Any) -> None:
    topic = "Concept:topic-chatbots"
    open_at_size(browser, server + f"#/loesungen?thema={quote(topic)}", "phone")
    wait_ready(browser, "loesungen")
    assert set(table_ids(browser, "katalog")) == expected_catalogue(server, topic=topic)

    open_at_size(browser, server + f"#/loesungen?thema={quote(topic)}&jahr=1900", "phone")
    wait_ready(browser, "loesungen")
    assert browser.execute_script("return document.querySelector('#katalog') === null")
    drops = browser.execute_script("return [...document.querySelectorAll('[data-drop]')].map(b => b.dataset.drop)")
    assert sorted(drops) == ["jahr", "thema"]
    browser.find_element("css selector", "[data-drop='jahr']").click()
    assert set(table_ids(browser, "katalog")) == expected_catalogue(server, topic=topic)
    assert_clean(browser, server, "katalog-leer-dann-vorschlag-phone")


def test_csv_cells_that_look_like_formulas_stay_text(server: str, browser: Any) -> None:
    open_at_size(browser, server + "#/loesungen", "desktop")
    wait_ready(browser, "loesungen")
    cells = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import('/explorer/js/export.js').then((m) => done(m.csvText([['=HYPERLINK(\"x\")', '+1', 'a;b', "
        "'sagt \"hallo\"', null, '@SUM(A1)', '-2', 'Mölln']])));")
    assert cells.startswith("\ufeff")
    row = next(csv.reader(io.StringIO(cells[1:]), delimiter=";"))
    assert row == ["'=HYPERLINK(\"x\")", "'+1", "a;b", 'sagt "hallo"', "", "'@SUM(A1)", "'-2", "Mölln"]


def adoptions_in(base: str, county: str) -> list[dict[str, Any]]:
    """Adoptions whose adopter lies in the county by its official key (an organisation: by a territory it
    serves), read from the unfiltered list."""
    key = county.split(":")[1]
    rows = every(base, "adoptions", "id status startedOn adopter { __typename ... on Territory { ars } "
                                    "... on Organization { territories { ars } } }")
    def keys(a: dict[str, Any]) -> list[str]:
        adopter = a["adopter"]
        return [t["ars"] for t in adopter["territories"]] if adopter["__typename"] == "Organization" \
            else [adopter["ars"]]
    return [a for a in rows if any(k.startswith(key) for k in keys(a))]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_county_dashboard_matches_the_raw_lists_and_saves_its_chart_and_graph(server: str, browser: Any,
                                                                             downloads: Path) -> None:
    open_at_size(browser, server + f"#/kreis/{quote(COUNTY)}", "desktop")
    wait_ready(browser, "kreis")
    expected = adoptions_in(server, COUNTY)
    assert expected, "the sample has adoptions in Ludwigslust-Parchim"
    assert sorted(table_ids(browser, "kreis-uebernahmen")) == sorted(a["id"] for a in expected)

    # diffusion: started adoptions (not only considered or planned) per start year, running total
    started = [int(a["startedOn"][:4]) for a in expected
               if a["startedOn"] and a["status"] in ACTIVE | {"ABANDONED"}]
    years = range(min(started), max(started) + 1)
    running, want = 0, []
    for y in years:
        running += started.count(y)
        want.append([str(y), started.count(y), running])
    shown = browser.execute_script("return [...document.querySelectorAll('#verbreitung-tabelle tbody tr')]"
                                   ".map(r => [r.dataset.label, +r.dataset.value, +r.dataset.total])")
    assert shown == want

    # coverage per topic: the covered count is what `coverage` says for the pair, gaps what `coverageGaps` counts
    rows = browser.execute_script("return [...document.querySelectorAll('#abdeckung tbody tr')]"
                                  ".map(r => [r.dataset.id, +r.dataset.covered, +r.dataset.gaps])")
    assert rows
    for topic, covered, gaps in rows[:4] + rows[-2:]:
        answer = gql(server, "query($c: ID!, $t: ID!) { coverage(county: $c, category: $t) { covered } "
                             "coverageGaps(county: $c, category: $t) { totalCount } }", {"c": COUNTY, "t": topic})
        assert covered == sum(1 for c in answer["coverage"] if c["covered"])
        assert gaps == answer["coverageGaps"]["totalCount"]

    # gaps of the chosen topic, every page of them
    topic = browser.execute_script("return document.getElementById('luecken-thema').value")
    gap_ids = {m["id"] for m in every_gap(server, COUNTY, topic)}
    wait_for(browser, "return document.querySelector('#luecken-tabelle, #luecken .empty-state')", "the gaps")
    assert set(table_ids(browser, "luecken-tabelle")) == gap_ids

    # the edge set is stated where bridges and key persons are shown
    note = browser.execute_script("return document.getElementById('kantenmenge').textContent")
    assert "denselben Kontaktbeziehungen" in note
    wait_for(browser, "return Boolean(window.explorerGraphs && window.explorerGraphs['kreis-bruecken-graph'])",
             "the bridges graph")

    browser.find_element("css selector", "#verbreitung button[data-png]").click()
    name = browser.execute_script("return document.querySelector('#verbreitung button[data-png]').dataset.png")
    width, height = png_size(saved(downloads, f"{name}.png"))
    assert width >= 280 and height >= 200
    browser.find_element("css selector", "#kreis-bruecken-graph button[data-png]").click()
    name = browser.execute_script("return document.querySelector('#kreis-bruecken-graph button[data-png]').dataset.png")
    assert min(png_size(saved(downloads, f"{name}.png"))) > 50
    assert_clean(browser, server, "kreis-dashboard-desktop")


def every_gap(base: str, county: str, topic: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql(base, "query($c: ID!, $t: ID!, $a: String) { coverageGaps(county: $c, category: $t, first: 100, "
                         "after: $a) { pageInfo { hasNextPage endCursor } edges { node { id } } } }",
                   {"c": county, "t": topic, "a": after})["coverageGaps"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def test_county_map_places_every_municipality_where_the_api_says(server: str, browser: Any, downloads: Path) -> None:
    open_at_size(browser, server + f"#/kreis/{quote(COUNTY)}", "phone")
    wait_ready(browser, "kreis")
    wait_for(browser, "return Boolean(window.explorerMaps && window.explorerMaps['kreis-karte'])", "the map")
    located = {m["id"]: m["location"] for m in every(
        server, "municipalities", "id location { lat lon precision }") if m["id"].startswith("Municipality:13076")}
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#kreis-karte li[data-id]')].map(li => [li.dataset.id, "
        "li.dataset.precision, li.dataset.kind])")
    assert {i: p for i, p, _ in shown} == {i: loc["precision"] for i, loc in located.items() if loc}
    own_active = {a["adopter"]["id"] for a in every(server, "adoptions", "status adopter { __typename "
                                                                         "... on Territory { id ars } }")
                  if a["adopter"]["__typename"] == "Municipality" and a["status"] in ACTIVE
                  and a["adopter"]["ars"].startswith("13076")}
    assert {i for i, _, kind in shown if kind == "adopter"} == own_active and own_active
    # Leaflet drew one marker per point, inside the county's bounding box, and nothing from outside
    markers = browser.execute_script(
        "const m = window.explorerMaps['kreis-karte']; const out = [];"
        "m.eachLayer(l => { if (l.getLatLng) out.push([l.getLatLng().lat, l.getLatLng().lng]); }); return out;")
    assert sorted(map(tuple, markers)) == sorted((loc["lat"], loc["lon"]) for loc in located.values() if loc)
    browser.find_element("css selector", "#kreis-karte button[data-png]").click()
    name = browser.execute_script("return document.querySelector('#kreis-karte button[data-png]').dataset.png")
    assert min(png_size(saved(downloads, f"{name}.png"))) > 100
    assert_clean(browser, server, "kreis-karte-phone")


NEAR = """query($after: String) { adoptions(filter: {status: [PILOT, ADOPTED, SCALED]}, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } edges { node { adopter { __typename
    ... on Municipality { id location { lat lon } } ... on Association { id location { lat lon } }
    ... on County { id location { lat lon } } ... on State { id }
    ... on Organization { id territories { ... on Municipality { location { lat lon } }
      ... on Association { location { lat lon } } ... on County { location { lat lon } } } } } } } } }"""


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance, written out here (not imported from the app) as the oracle."""
    import math

    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    return 2 * 6371.0088 * math.asin(math.sqrt(math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2)
                                                 * math.sin(dl / 2) ** 2))


def test_a_village_without_data_says_so_and_names_the_nearest_adopters_by_distance(server: str,
                                                                                    browser: Any) -> None:
    village = "Municipality:13076003"  # Balow, 320 inhabitants, nothing recorded
    data = gql(server, "query($id: ID!) { node(id: $id) { ... on Municipality { name location { lat lon } "
                       "adoptions { totalCount } } } }", {"id": village})["node"]
    assert data["adoptions"]["totalCount"] == 0 and data["location"]
    home = (data["location"]["lat"], data["location"]["lon"])
    distances: dict[str, float] = {}
    after = None
    while True:
        page = gql(server, NEAR, {"after": after})["adoptions"]
        for edge in page["edges"]:
            adopter = edge["node"]["adopter"]
            where = adopter.get("location") or next(
                (t["location"] for t in adopter.get("territories", []) if t.get("location")), None)
            if where and adopter["id"] != village:
                distances[adopter["id"]] = haversine_km(home, (where["lat"], where["lon"]))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    expected = sorted(distances.items(), key=lambda kv: kv[1])[:5]

    open_at_size(browser, server + "#/gemeinde/13076003", "phone")
    wait_ready(browser, "gemeinde")
    wait_for(browser, "return document.querySelector('#naechste-anwender')", "the nearest adopters")
    assert browser.execute_script("return document.querySelector('#uebernahmen, #gelernt-von') === null"), \
        "a place without data shows no empty table"
    assert "noch keine Übernahme erfasst" in browser.execute_script(
        "return document.getElementById('keine-uebernahmen').textContent")
    shown = browser.execute_script("return [...document.querySelectorAll('#naechste-anwender > li')]"
                                   ".map(li => [li.dataset.id, +li.dataset.km])")
    assert [i for i, _ in shown] == [i for i, _ in expected]
    assert [km for _, km in shown] == pytest.approx([round(km, 1) for _, km in expected], abs=0.051)
    wait_for(browser, "return Boolean(window.explorerMaps && window.explorerMaps['gemeinde-karte'])", "the map")
    assert_clean(browser, server, "gemeinde-ohne-daten-phone")


NEIGHBOURS = """query($id: ID!) { node(id: $id) { id
  ... on Actor { knows(first: 25) { edges { node { id } } } roles { organization { id } } }
  ... on Organization { people(first: 25) { edges { node { id } } } parent { id } territories { id } }
  ... on Project { participants { id } }
  ... on Municipality { organizations { id } association { id } }
  ... on Association { municipalities(first: 25) { edges { node { id } } } } } }"""


def neighbour_ids(base: str, node_id: str) -> set[str]:
    n = gql(base, NEIGHBOURS, {"id": node_id})["node"]
    ids = {e["node"]["id"] for key in ("knows", "people", "municipalities")
           for e in (n.get(key) or {}).get("edges", [])}
    ids |= {r["organization"]["id"] for r in n.get("roles", [])}
    ids |= {x["id"] for key in ("territories", "participants", "organizations") for x in n.get(key, [])}
    ids |= {n[key]["id"] for key in ("parent", "association") if n.get(key)}
    return ids


def test_graph_nodes_expand_in_place_and_the_network_tables_download(server: str, browser: Any,
                                                                      downloads: Path) -> None:
    open_at_size(browser, server + f"#/netzwerk?kreis={quote(COUNTY)}", "desktop")
    wait_ready(browser, "netzwerk")
    graph = "window.explorerGraphs['bruecken-graph']"
    before = set(browser.execute_script(f"return {graph}.nodes().map(n => n.id())"))
    # a bridge with neighbours not yet drawn
    candidates = browser.execute_script("return [...document.querySelectorAll('#bruecken-graph [data-expand]')]"
                                        ".map(b => b.dataset.expand)")
    target = next(c for c in candidates if neighbour_ids(server, c) - before)
    browser.execute_script(f"document.querySelector('#bruecken-graph [data-expand=\"{target}\"]').click()")
    wait_for(browser, f"return {graph}.getElementById('{target}').hasClass('expanded') && "
                      "!document.querySelector('#bruecken-graph .graph-selection').hidden", "the expansion")
    after = set(browser.execute_script(f"return {graph}.nodes().map(n => n.id())"))
    assert after == before | neighbour_ids(server, target)
    linked = set(browser.execute_script(f"return {graph}.getElementById('{target}').neighborhood('node')"
                                        ".map(n => n.id())"))
    assert linked >= neighbour_ids(server, target)
    listed = browser.execute_script("return document.querySelectorAll('#bruecken-graph li[data-node-id]').length")
    assert listed == len(after), "the node list grows with the graph"

    browser.find_element("css selector", "button[data-csv-for='bruecken']").click()
    with saved(downloads, "bruecken.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert len(rows) - 1 == len(table_ids(browser, "bruecken"))
    assert_clean(browser, server, "netzwerk-erweitert")


def test_solution_page_maps_its_adopters_and_flags_illustrative_adoptions(server: str, browser: Any) -> None:
    solution = "Solution:digitale-lokale-agenda"
    open_at_size(browser, server + f"#/loesung/{quote(solution)}", "desktop")
    wait_ready(browser, "loesung")
    wait_for(browser, "return Boolean(window.explorerMaps && window.explorerMaps['loesung-karte'])", "the map")
    adoptions = gql(server, "query($id: ID!) { node(id: $id) { ... on Solution { adoptions(first: 100) { edges { "
                            "node { id status illustrative adopter { __typename ... on Municipality { id location "
                            "{ lat } } } } } } } } }", {"id": solution})["node"]["adoptions"]["edges"]
    placed = {e["node"]["adopter"]["id"] for e in adoptions if (e["node"]["adopter"].get("location"))}
    active = {e["node"]["adopter"]["id"] for e in adoptions if e["node"]["status"] in ACTIVE} & placed
    shown = browser.execute_script("return [...document.querySelectorAll('#loesung-karte li[data-id]')]"
                                   ".map(li => [li.dataset.id, li.dataset.kind])")
    assert {i for i, _ in shown} == placed and {i for i, k in shown if k == "adopter"} == active
    flagged = browser.execute_script("return [...document.querySelectorAll('#zeitleiste li')]"
                                     ".filter(li => li.querySelector('.badge.illustrative'))"
                                     ".map(li => li.dataset.adoptionId)")
    assert set(flagged) == {e["node"]["id"] for e in adoptions if e["node"]["illustrative"]}
    assert_clean(browser, server, "loesung-karte")


def test_every_reason_wording_of_the_api_reads_in_german(server: str, browser: Any) -> None:
    """One sample per f-string in graph_api/mission/recommend.py and needs_log.py; none may come back in English."""
    samples = ["in use by 1 adopter in the same association (Amt Hagenow-Land): Toddin",
               "in use by 3 adopters elsewhere in the same county: Hagenow, Stadt, Parchim, Stadt",
               "in use by 2 adopters elsewhere in the same state: A, B", "in use by 1 adopter in other states: Mölln",
               "in use by 1812 adopters in other states: Mölln, A, B, C, D and 1807 more",
               "in use by 2 municipalities of similar size: A, B", "in use by 1 municipality of similar size: A",
               "awarded the seal 'Bewährt vor Ort' (2024)", "received the award 'Demo-Preis' (2023)",
               "received the award 'Ohne Jahr'", "addresses the stated need 'Bedarf' (Concept:need-x)",
               "addresses the recorded need 'Bedarf' (Need:n-1, recorded 2025-03-01)",
               "addresses the recorded need 'Bedarf' (Need:n-2, recorded undated)", "maturity: proven",
               "no active adopter yet",
               # the matches of a need an Amt, county or organisation holds (graph_api/mission/needs_log.py)
               "addresses 'Fehlerkultur stärken'", "in use by 2 adopters", "in use by 1 adopter"]
    open_at_size(browser, server + "#/loesungen", "desktop")
    wait_ready(browser, "loesungen")
    german = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import('/explorer/js/labels.js').then((m) => done(arguments[0].map(m.reason)));", samples)
    english_words = re.compile(r"\b(in use|adopters?|awarded|received|addresses|maturity|recorded|more)\b")
    english = [g for g in german if english_words.search(g)]
    assert english == [] and all(g for g in german)
    assert "erfasst 01.03.2025" in german[11] and "ohne Datum" in german[12]
    assert german[4].endswith("D und 1807 weitere")
