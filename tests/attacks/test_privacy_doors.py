"""Personal data at every door (issue 15, part 5): one graph whose actors carry marked secrets.

Every actor that is not exactly `visibility: public` gets a name, description, e-mail, phone,
WORKS_FOR title and project role containing SECRET, and a stored visibility that is one of the
bad values found in the wild (missing, empty, "Restricted", "PUBLIC", " public"); public actors
get PUBLICNAME names and a publicmail e-mail; every KNOWS context is SECRET. The values are
written straight into the store, as an old or hand-edited database would hold them: readers
must be safe whatever the loaders let through. Then every door is asked anonymously, and the
marks must never come out — while the role labels (and, for token holders, the names) do, so
the tests cannot pass by showing nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.model import key_of
from graph_api.query_library import load_library
from graph_api.store import Store, open_store
from tests.graphql_client import TOKEN, GraphQLClient

BAD_VISIBILITIES = (None, "", "restricted", "Restricted", "PUBLIC", " public")
SECRET = re.compile(r"SECRET|secretmail|publicmail", re.IGNORECASE)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, GraphQLClient, dict[str, str | None]]:
    """The sample with marked secrets; returns (store, client, stored visibility of each actor)."""
    path = tmp_path_factory.mktemp("privacy") / "graph.lbdb"
    store = open_store(Settings(store="ladybug", db_path=str(path)))
    load_sample(store)
    public = {r["id"] for r in store.read("MATCH (n:Actor) WHERE n.visibility = 'public' RETURN n.id AS id")}
    others = sorted(r["id"] for r in store.read("MATCH (n:Actor) WHERE n.visibility <> 'public' RETURN n.id AS id"))
    stored = {actor: BAD_VISIBILITIES[i % len(BAD_VISIBILITIES)] for i, actor in enumerate(others)}
    stored.update(dict.fromkeys(public, "public"))
    with store.transaction() as run:
        for actor, vis in stored.items():
            mark = "PUBLICNAME" if vis == "public" else "SECRETNAME"
            run("MATCH (n:Actor {id: $id}) SET n.visibility = $vis, n.name = $name, n.description = $about, "
                "n.email = $email, n.phone = 'SECRETPHONE'",
                {"id": actor, "vis": vis, "name": f"{mark} {key_of(actor)}",
                 "about": "PUBLICDESC" if vis == "public" else "SECRETDESC wohnt in Hagenow",
                 "email": "publicmail@example.invalid" if vis == "public" else "secretmail@example.invalid"})
        run("MATCH (:Actor)-[r:KNOWS]->(:Actor) SET r.context = 'SECRETCONTEXT'", {})
        run("MATCH (a:Actor)-[r:WORKS_FOR]->(:Organization) SET r.title = CASE WHEN a.visibility = 'public' "
            "THEN 'PUBLICTITLE' ELSE 'SECRETTITLE' END", {})
        run("MATCH (a:Actor)-[r:PARTICIPATES_IN]->(:Project) SET r.role = CASE WHEN a.visibility = 'public' "
            "THEN 'PUBLICROLE' ELSE 'SECRETROLE' END", {})
    store.rebuild_search()
    yield store, GraphQLClient(store), stored
    store.close()


ACTOR_FIELDS = "id name roleLabel visibility email roles { title organization { id } }"
ALL_ACTORS = f"""{{ actors(first: 100) {{ totalCount edges {{ node {{ {ACTOR_FIELDS}
  knows(first: 20) {{ edges {{ node {{ {ACTOR_FIELDS} }} }} }} }} }} }} }}"""


PERSON = f"... on Actor {{ {ACTOR_FIELDS} }}"
MISSION = f"""query($county: ID!) {{
  contactPaths(from: "Organization:kreisverwaltung-ludwigslust-parchim", to: "Municipality:13076060", first: 10) {{
    steps {{ node {{ __typename id {PERSON} }} }} }}
  countyMunicipalBridges(county: $county, first: 50) {{ node {{ __typename id {PERSON} }} }}
  keyPersonRisks(county: $county) {{ risks {{ person {{ {ACTOR_FIELDS} }} }} }} }}"""


def _leaks(text: str) -> list[str]:
    return sorted(set(SECRET.findall(text)))


def test_graphql_shows_restricted_actors_by_role_label_only(marked) -> None:
    store, client, stored = marked
    data = client.data(ALL_ACTORS)
    assert data["actors"]["totalCount"] == len(stored)
    assert _leaks(json.dumps(data)) == []
    for edge in data["actors"]["edges"]:
        actor = edge["node"]
        vis = stored[actor["id"]]
        assert actor["visibility"] == ("PUBLIC" if vis == "public" else "RESTRICTED"), (actor["id"], vis)
        assert actor["email"] is None  # contact data: token holders only, public actors included
        if vis == "public":
            assert actor["name"].startswith("PUBLICNAME")
            assert all(r["title"] == "PUBLICTITLE" for r in actor["roles"])
        else:
            assert actor["name"] == actor["roleLabel"] != ""


def test_graphql_token_holders_see_names_and_contacts(marked) -> None:
    _, client, stored = marked
    data = client.data(ALL_ACTORS, token=TOKEN)
    actors = {e["node"]["id"]: e["node"] for e in data["actors"]["edges"]}
    restricted = [a for a, vis in stored.items() if vis != "public"]
    assert all(actors[a]["name"].startswith("SECRETNAME") for a in restricted)
    assert all(actors[a]["email"] for a in actors)
    assert any(r["title"] == "SECRETTITLE" for a in restricted for r in actors[a]["roles"])


def test_graphql_node_lookups_and_mission_answers_hide_restricted_people(marked) -> None:
    store, client, stored = marked
    for actor in stored:
        data = client.data("query($id: ID!) { node(id: $id) { ... on Actor { " + ACTOR_FIELDS + " } } }",
                           {"id": actor})
        assert _leaks(json.dumps(data)) == [], actor
    for county in ("County:13076", "County:01053"):
        data = client.data(MISSION, {"county": county})
        assert _leaks(json.dumps(data)) == [], county
        assert "Actor" in json.dumps(data)  # the answers do pass through people
    nested = client.data("""{ organizations(first: 100) { edges { node { people(first: 50) { edges { node {
        name email roles { title } } } } } } }
        adoptions(first: 100) { edges { node { contacts { name email roles { title } } } } } }""")
    assert _leaks(json.dumps(nested)) == []


def test_search_never_finds_restricted_names_or_descriptions(marked) -> None:
    store, client, _ = marked
    for text in ("SECRETNAME", "SECRETDESC", "secretmail", "SECRETPHONE", "PUBLICDESC wohnt"):
        hits = client.data("query($t: String!) { search(text: $t, first: 50) { node { id } } }", {"t": text})
        assert hits["search"] == [], text
    assert client.data('{ search(text: "PUBLICNAME", first: 50) { node { id } } }')["search"]  # public names are found
    index = Path(f"{store.path}.search.sqlite")
    with sqlite3.connect(index) as db:
        text = " ".join(n + " " + t for n, t in db.execute("SELECT names, texts FROM docs"))
    assert "secret" not in text and "publicmail" not in text


def test_actor_name_filter_matches_role_labels_not_restricted_names(marked) -> None:
    _, client, stored = marked
    data = client.data('{ actors(filter: {nameContains: "secretname"}, first: 100) { totalCount } }')
    assert data["actors"]["totalCount"] == 0
    data = client.data('{ actors(filter: {nameContains: "secretname"}, first: 100) { totalCount } }', token=TOKEN)
    assert data["actors"]["totalCount"] == sum(1 for vis in stored.values() if vis != "public")


def test_named_queries_name_restricted_actors_by_role_only(marked) -> None:
    _, client, stored = marked
    actor_rows = 0
    for name in load_library():
        response = client.http.post(f"/queries/{name}", json={})
        assert response.status_code == 200, (name, response.text)
        assert _leaks(response.text) == [], name
        actor_rows += response.text.count('"Actor:')
    assert actor_rows > 0  # some answers do name actors (by role)
    bridges = client.http.post("/queries/county_municipality_bridges", json={}, headers=AUTH).json()
    assert any(str(r["bridge_name"]).startswith("SECRETNAME") for r in bridges["rows"])


def test_rdf_export_publishes_the_anonymous_view(marked) -> None:
    _, client, _ = marked
    for fmt in ("ttl", "jsonld", "nq"):
        response = client.http.get(f"/export?format={fmt}")
        assert response.status_code == 200
        assert _leaks(response.text) == [], fmt
        assert "PUBLICNAME" in response.text and "PUBLICTITLE" in response.text


def test_linked_data_pages_publish_the_anonymous_view(marked) -> None:
    store, client, stored = marked
    neighbours = store.read("MATCH (a:Actor)-[]-(b) RETURN DISTINCT b.id AS id")
    titles = 0
    for node_id in [*stored, *(r["id"] for r in neighbours)]:
        label, _, key = node_id.partition(":")
        # the token opens nothing here; all pages of a hub node
        response = client.http.get(f"/id/{label.lower()}/{key}", headers={**AUTH, "Accept": "text/turtle"})
        pages = [response]
        while 'rel="next"' in response.headers.get("link", ""):
            response = client.http.get(f"/id/{label.lower()}/{key}?page={len(pages) + 1}",
                                       headers={**AUTH, "Accept": "text/turtle"})
            pages.append(response)
        for page in pages:
            assert page.status_code == 200, node_id
            assert _leaks(page.text) == [], node_id
            titles += page.text.count("PUBLICTITLE") if label == "Organization" else 0
    assert titles > 0  # a public actor's title is published on the employer's page too


def test_ad_hoc_cypher_needs_the_token(marked) -> None:
    _, client, _ = marked
    response = client.http.post("/cypher", json={"query": "MATCH (n:Actor) RETURN n.name AS name, n LIMIT 5"})
    assert response.status_code == 401
    assert _leaks(response.text) == []
    allowed = client.http.post("/cypher", json={"query": "MATCH (n:Actor) RETURN n.name AS name"}, headers=AUTH)
    assert allowed.status_code == 200 and "SECRETNAME" in allowed.text  # token holders see everything


def test_an_index_built_by_an_older_rule_is_rebuilt_at_open(tmp_path: Path) -> None:
    """A search file from before the rule held restricted names and descriptions; opening the store
    must not keep serving them."""
    path = tmp_path / "graph.lbdb"
    store = open_store(Settings(store="ladybug", db_path=str(path)))
    load_sample(store)
    actor = store.read("MATCH (n:Actor) WHERE n.visibility = 'restricted' RETURN n.id AS id LIMIT 1")[0]["id"]
    store.close()
    with sqlite3.connect(f"{path}.search.sqlite") as db:  # what the old index held for a restricted actor
        db.execute("UPDATE docs SET names = 'secretname', texts = 'secretdesc' WHERE rowid = "
                   "(SELECT doc FROM doc_keys WHERE node_id = ?)", (actor,))
        db.execute("PRAGMA user_version = 1")
    store = open_store(Settings(store="ladybug", db_path=str(path)))
    try:
        assert store.search("secretname", 10) == [] and store.search("secretdesc", 10) == []
        assert store.search("Bürgermeister", 10)  # rebuilt, not emptied
    finally:
        store.close()


def test_sparql_answers_from_the_anonymous_view(marked) -> None:
    _, client, _ = marked
    matching = ('SELECT ?s ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) && '
                'REGEX(STR(?o), "{0}", "i")) }}')
    for pattern, expected in (("secret|publicmail", False), ("publicname", True), ("publictitle", True)):
        response = client.http.get("/sparql", params={"query": matching.format(pattern)},
                                    headers={"Accept": "application/sparql-results+json", **AUTH})
        assert response.status_code == 200, response.text
        assert bool(response.json()["results"]["bindings"]) is expected, pattern
