"""Security headers on every response (issue 15, part 6): a strict CSP with no inline code and no other
origin, nosniff, no framing, no referrer; and HTML pages that need nothing looser.

`test_explorer_xss_browser.py` checks in a real browser that the policy is enforced; the
front-end browser tests check that every page works under it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.store import Store
from tests.graphql_client import TOKEN

HTML = {"Accept": "text/html"}
REQUESTS = [  # (method, path, headers, body): every kind of answer, refusals included
    ("GET", "/", {}, None),
    ("GET", "/graphql", HTML, None),
    ("GET", "/ontology", HTML, None),
    ("GET", "/id/scheme/topics", HTML, None),
    ("GET", "/id/municipality/13076060", HTML, None),  # 303 to the Explorer
    ("GET", "/explorer/js/main.js", {}, None),
    ("GET", "/graphiql/graphiql.js", {}, None),
    ("GET", "/export?format=ttl", {}, None),  # streamed
    ("GET", "/queries", {}, None),
    ("POST", "/graphql", {}, {"query": "{ __typename }"}),
    ("POST", "/graphql", {}, {"query": "{ nosuch }"}),
    ("POST", "/cypher", {}, {"query": "RETURN 1"}),  # 401
    ("POST", "/queries/no_such_query", {}, {}),  # 404
    ("GET", "/no/such/page", {}, None),
    ("GET", "/healthz", {}, None),
]


@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(api_token=TOKEN, max_body_bytes=4096), store=pilot_store),
                      follow_redirects=False)


def _policy(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def assert_secure_headers(response) -> None:  # noqa: ANN001 - httpx or requests response
    headers = response.headers
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("referrer-policy") == "no-referrer"
    policy = _policy(headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    for directive in ("default-src", "script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert policy[directive] == ["'self'"], (directive, policy[directive])  # no inline, no other origin


@pytest.mark.parametrize("method,path,headers,body", REQUESTS, ids=[f"{m} {p}" for m, p, _, _ in REQUESTS])
def test_every_answer_carries_the_security_headers(client: TestClient, method: str, path: str,
                                                   headers: dict[str, str], body: dict | None) -> None:
    response = client.request(method, path, headers=headers, json=body)
    assert response.status_code < 500, response.text
    assert_secure_headers(response)


def test_refusals_by_the_limits_carry_them_too(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ __typename }", "pad": "x" * 10_000})
    assert response.status_code == 413
    assert_secure_headers(response)


class _Page(HTMLParser):
    """What in a page would need a looser policy: inline code, handlers, styles, other origins."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._inline: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.problems += [f"<{tag} {name}=…> handler" for name, _ in attrs if name.startswith("on")]
        if "style" in values:
            self.problems.append(f"<{tag} style=…>")
        if tag == "style":
            self.problems.append("<style> block")
        if tag == "script" and not values.get("src"):
            self._inline = "script"
        loaded = values.get("src") if tag in ("script", "img", "iframe") else (
            values.get("href") if tag == "link" else None)
        if loaded and urlsplit(loaded).scheme:
            self.problems.append(f"<{tag}> loads {loaded}")
        href = (values.get("href") or "").strip().lower()
        if href.startswith(("javascript:", "data:", "vbscript:")):
            self.problems.append(f"<{tag} href={href[:20]}…>")

    def handle_data(self, data: str) -> None:
        if self._inline and data.strip():
            self.problems.append(f"inline {self._inline}")

    def handle_endtag(self, tag: str) -> None:
        self._inline = None


@pytest.mark.parametrize("path", ["/", "/graphql", "/ontology", "/id/scheme/topics"])
def test_html_pages_need_no_inline_code_and_no_other_origin(client: TestClient, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = _Page()
    page.feed(response.text)
    assert page.problems == []


def test_the_page_checker_finds_what_the_policy_forbids() -> None:
    page = _Page()
    page.feed('<script>alert(1)</script><a href=" javascript:x" onclick="y">z</a><div style="a:b"></div>'
              '<script src="https://cdn.example/x.js"></script><style>p{}</style>')
    assert len(page.problems) == 6, page.problems


def test_answers_to_a_token_are_never_cached(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    query = "/graphql?query=" + "{ actors(first: 5) { edges { node { name email } } } }"
    response = client.get(query, headers={**auth, "Accept": "application/json"})
    assert response.status_code == 200 and response.json()["data"]["actors"]["edges"]
    assert response.headers["cache-control"] == "no-store"
    linked = client.get("/id/municipality/13076060", headers={**auth, "Accept": "text/turtle"})
    assert linked.status_code == 200 and linked.headers["cache-control"] == "no-store"  # public elsewhere
    assert "no-store" not in client.get("/id/municipality/13076060", headers={"Accept": "text/turtle"}).headers.get(
        "cache-control", "")
