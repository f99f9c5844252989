"""GraphiQL and the Explorer need nothing but copgraph: no CDN, no inline script, vendored copies that
match the pinned lock file and carry their licences. (The real browser: test_frontends_browser.py.)"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.resources import STATIC_DIR
from graph_api.store import Store

VENDOR_TOOL = PROJECT_ROOT / "tools" / "vendor"
PAGES = ("/graphql", "/")
# a URL with a scheme or a network path (//host) in an attribute or a stylesheet, and any @import
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//"""
                      r"""|url\(\s*["']?\s*(?:[a-z]+:)?//|@import""", re.IGNORECASE)


class PageParts(HTMLParser):
    """Collects what a Content-Security-Policy of `default-src 'self'` cares about in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.style_elements = 0
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]
        self.handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]
        if "style" in values:
            self.style_attributes.append(tag)
        if tag == "style":
            self.style_elements += 1
        self._in_script_without_src = tag == "script" and not values.get("src")

    def handle_data(self, data: str) -> None:
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script_without_src = False


@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(), store=pilot_store))


def page_parts(client: TestClient, path: str) -> PageParts:
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), path
    parts = PageParts()
    parts.feed(page.text)
    return parts


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_every_script_and_style_from_copgraph_itself(client: TestClient, path: str) -> None:
    parts = page_parts(client, path)
    assert parts.urls
    for url in parts.urls:
        if url.startswith("#") or url.startswith("data:,"):  # in-page anchors, the empty favicon
            continue
        assert not urlsplit(url).scheme and not urlsplit(url).netloc, f"{path} refers to another origin: {url}"
        assert client.get(urljoin(f"http://testserver{path}", url)).status_code == 200, f"{path}: {url}"


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_inline_script_style_or_handler(client: TestClient, path: str) -> None:
    parts = page_parts(client, path)
    assert (parts.inline_scripts, parts.style_elements, parts.style_attributes, parts.handlers) == (0, 0, [], [])


def test_graphiql_examples_are_served_and_parse_as_graphql(client: TestClient) -> None:
    from graphql import parse

    examples = client.get("/graphiql/examples.graphql")
    assert examples.status_code == 200
    names = [d.name.value for d in parse(examples.text).definitions]
    assert "AdoptersOfTheDigitalAgenda" in names and len(names) == len(set(names))


def test_no_static_html_or_css_refers_to_another_origin() -> None:
    offenders = [f"{path.relative_to(STATIC_DIR)}: {match.group(0)}"
                 for path in STATIC_DIR.rglob("*") if path.suffix in (".html", ".css")
                 for match in EXTERNAL.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def _vendored_readmes() -> list[Path]:
    return sorted(STATIC_DIR.glob("*/vendor/README"))


def test_every_pinned_package_is_vendored_at_its_locked_version_with_its_licence() -> None:
    lock = json.loads((VENDOR_TOOL / "package-lock.json").read_text(encoding="utf-8"))
    pinned = json.loads((VENDOR_TOOL / "package.json").read_text(encoding="utf-8"))["dependencies"]
    listed: dict[str, str] = {}
    for readme in _vendored_readmes():
        for name, version, copies in re.findall(r"^- (\S+) (\S+) \(\S+\): (.+)$", readme.read_text(), re.MULTILINE):
            listed[name] = version
            for copy in copies.split(", "):
                assert (readme.parent / copy.split(" -> ")[1]).is_file(), f"{readme}: {copy}"
            licence = readme.parent / f"{name.replace('@', '').replace('/', '-')}.LICENSE.txt"
            assert "MIT" in licence.read_text(encoding="utf-8") or "Permission is hereby granted" in licence.read_text(
                encoding="utf-8"), licence
    locked = {name: lock["packages"][f"node_modules/{name}"]["version"] for name in listed}
    assert listed == locked
    assert {name: pinned[name] for name in listed} == locked, "package.json pins exact versions"
    assert set(pinned) == set(listed), "a pinned package that is not vendored"


def test_stylesheets_refer_only_to_files_next_to_them() -> None:
    for css in STATIC_DIR.rglob("*.css"):
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            assert not target.startswith("data:") and (css.parent / target).is_file(), f"{css}: {target[:60]}"


@pytest.mark.parametrize("path", ["/graphiql/../http/graphiql.py", "/graphiql/%2e%2e/http/graphiql.py",
                                  "/graphiql/..%2f..%2fconfig.py", "/graphiql/vendor/..%2f..%2fexplorer/index.html",
                                  "/graphiql/index.html", "/graphiql/", "/graphiql/no-such-file.js"])
def test_graphiql_assets_serve_nothing_outside_their_folder(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404
