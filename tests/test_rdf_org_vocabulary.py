"""W3C ORG used as ORG says: units are org:unitOf what they belong to, memberships carry an org:role
(an org:Role named by the title) and an org:memberDuring time:Interval, councils and committees are
their own kinds (the council beside the administration, its committees units of the council), and a
solution names its publisher. Expected values are computed from the store's rows in plain Python;
the export is read by rdflib and checked against the SHACL shapes by pyshacl."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.loaders.rdf import read
from graph_api.policy import is_public
from graph_api.rdf import vocab
from graph_api.rdf.export import export
from graph_api.rdf.generate import ONTOLOGY_FILE, SHAPES_FILE
from graph_api.rows import LoadError
from graph_api.store import Store

BASE = "https://copgraph.example.org/"
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
DCT = Namespace("http://purl.org/dc/terms/")
CPOV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")


def iri(node_id: str) -> URIRef:
    return URIRef(vocab.node_iri(BASE, node_id))


@pytest.fixture(scope="module")
def exported(pilot_store: Store) -> Graph:
    return Graph().parse(data="".join(export(pilot_store, BASE, "nt")), format="nt")


@pytest.fixture(scope="module")
def kinds(pilot_store: Store) -> dict[str, str]:
    return {r["id"]: r["kind"] for r in pilot_store.read("MATCH (o:Organization) RETURN o.id AS id, o.kind AS kind")}


def test_units_are_units_of_what_they_belong_to(exported: Graph, kinds: dict[str, str], pilot_store: Store) -> None:
    units = {node_id for node_id, kind in kinds.items() if kind in ("DEPARTMENT", "COMMITTEE")}
    assert {vocab.id_of_iri(str(s)) for s in exported.subjects(RDF.type, ORG.OrganizationalUnit)} == units
    links = pilot_store.read("MATCH (a:Organization)-[:SUB_ORGANIZATION_OF]->(b:Organization) RETURN a.id AS a, "
                             "b.id AS b")
    expected = {(r["a"], r["b"]) for r in links if r["a"] in units}
    assert expected and {(vocab.id_of_iri(str(s)), vocab.id_of_iri(str(o)))
                         for s, o in exported.subject_objects(ORG.unitOf)} == expected
    # every org:unitOf is also the org:subOrganizationOf that ORG makes it a sub-property of
    assert all((s, ORG.subOrganizationOf, o) in exported for s, o in exported.subject_objects(ORG.unitOf))
    # a unit is not itself a public organisation in CPOV's sense; administrations and councils are
    public = {vocab.id_of_iri(str(s)) for s in exported.subjects(RDF.type, CPOV.PublicOrganisation)}
    assert public == {node_id for node_id, kind in kinds.items() if kind in ("ADMINISTRATION", "COUNCIL")}


def test_the_council_stands_beside_the_administration_and_has_its_committees(exported: Graph, kinds: dict[str, str],
                                                                             pilot_store: Store) -> None:
    (row,) = pilot_store.read("MATCH (o:Organization {name: 'Gemeinderat'})-[:SOURCED_FROM]->(s:Source) WHERE "
                              "s.publisher = 'Stadt Karlsruhe' RETURN DISTINCT o.id AS id")
    council = iri(row["id"])
    assert kinds[row["id"]] == "COUNCIL"
    assert (council, ORG.classification, URIRef(vocab.CG + "Council")) in exported
    assert not set(exported.objects(council, ORG.subOrganizationOf)) | set(exported.objects(council, ORG.unitOf))
    committees = {node_id for node_id, kind in kinds.items() if kind == "COMMITTEE"}
    assert committees
    administrations = {iri(node_id) for node_id, kind in kinds.items() if kind == "ADMINISTRATION"}
    for committee in committees:
        assert (iri(committee), ORG.classification, URIRef(vocab.CG + "Committee")) in exported
        assert not set(exported.objects(iri(committee), ORG.unitOf)) & administrations
    # Karlsruhe's committees are units of its Gemeinderat
    assert sum(1 for _ in exported.subjects(ORG.unitOf, council)) >= 19


def test_memberships_carry_role_and_period(exported: Graph, pilot_store: Store) -> None:
    rows = pilot_store.read("MATCH (a:Actor)-[r:WORKS_FOR]->(o:Organization) RETURN a.id AS a, a.visibility AS "
                            "visibility, o.id AS o, r.title AS title, r.since AS since, r.until AS until")
    assert any(r["title"] for r in rows if is_public(r)) and any(r["since"] for r in rows)
    for row in rows:
        membership = URIRef(vocab.statement_iri(BASE, "WORKS_FOR", row["a"], row["o"]))
        if not is_public(row):  # a restricted person's title stays unpublished (the policy's role rule)
            assert not set(exported.objects(membership, ORG.role))
        elif row["title"]:
            (role,) = exported.objects(membership, ORG.role)
            assert (role, RDF.type, ORG.Role) in exported
            assert (role, SKOS.prefLabel, Literal(row["title"], lang="de")) in exported
            assert vocab.role_of_iri(str(role)) == row["title"]
        if row["since"] or row["until"]:
            (during,) = exported.objects(membership, ORG.memberDuring)
            assert (during, RDF.type, TIME.Interval) in exported
            for key, end in (("since", TIME.hasBeginning), ("until", TIME.hasEnd)):
                instants = list(exported.objects(during, end))
                assert len(instants) == (1 if row[key] else 0)
                for instant in instants:
                    assert (instant, TIME.inXSDDate, Literal(row[key], datatype=URIRef(vocab.XSD_DATE))) in exported
    # schema.org's role name and dates no longer stand in for ORG's terms on memberships
    for membership in exported.subjects(RDF.type, ORG.Membership):
        assert not {SCHEMA.roleName, SCHEMA.startDate, SCHEMA.endDate} & set(exported.predicates(membership))


def test_one_role_per_title_shared_by_its_memberships(exported: Graph) -> None:
    roles = set(exported.subjects(RDF.type, ORG.Role))
    labels = [str(exported.value(role, SKOS.prefLabel)) for role in roles]
    assert roles and len(labels) == len(set(labels))
    assert max(len(list(exported.subjects(ORG.role, role))) for role in roles) > 1


def test_a_solution_is_published_by_the_organisation_it_comes_from(exported: Graph, pilot_store: Store) -> None:
    """dct:publisher: the one organisation the solution originated with, else the one maintaining it."""
    ends: dict[tuple[str, str], set[str]] = {}
    for rel in ("ORIGINATED_BY", "MAINTAINED_BY"):
        for row in pilot_store.read(f"MATCH (s:Solution)-[:{rel}]->(o) RETURN s.id AS s, o.id AS o"):
            ends.setdefault((row["s"], rel), set()).add(row["o"])
    assert any(o.startswith("Municipality:") for os in ends.values() for o in os)  # a place originated one
    expected = set()
    for solution in {s for s, _ in ends}:
        for rel in ("ORIGINATED_BY", "MAINTAINED_BY"):
            organisations = {o for o in ends.get((solution, rel), ()) if o.startswith("Organization:")}
            if organisations:
                if len(organisations) == 1:
                    expected.add((solution, organisations.pop()))
                break
    assert expected
    found = {(vocab.id_of_iri(str(s)), vocab.id_of_iri(str(o))) for s, o in exported.subject_objects(DCT.publisher)}
    assert found == expected  # a place that originated a solution is not made its publisher


MEMBERSHIP = "<https://x.org/id/actor/a#works-for-organization-o>"
HEAD = [
    '<https://x.org/id/actor/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person> .',
    '<https://x.org/id/actor/a> <https://copgraph.example.org/ontology#roleLabel> "Amtsleitung" .',
    '<https://x.org/id/actor/a> <https://copgraph.example.org/ontology#visibility> "public" .',
    '<https://x.org/id/actor/a> <https://schema.org/name> "Erika Mustermann" .',
    '<https://x.org/id/organization/o> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
    '<http://www.w3.org/ns/org#Organization> .',
    '<https://x.org/id/organization/o> <https://schema.org/name> "O" .',
    '<https://x.org/id/organization/o> <http://www.w3.org/ns/org#classification> '
    '<https://copgraph.example.org/ontology#Committee> .',
    '<https://x.org/id/actor/a> <https://schema.org/worksFor> <https://x.org/id/organization/o> .',
    f'{MEMBERSHIP} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
    '<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> .',
    f'{MEMBERSHIP} <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <https://x.org/id/actor/a> .',
    f'{MEMBERSHIP} <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <https://schema.org/worksFor> .',
    f'{MEMBERSHIP} <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <https://x.org/id/organization/o> .',
    f'{MEMBERSHIP} <http://www.w3.org/ns/org#role> <https://x.org/id/role/Stellv.%20Vorsitzende%2FR> .',
    '<https://x.org/id/role/Stellv.%20Vorsitzende%2FR> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
    '<http://www.w3.org/ns/org#Role> .',
]
DURING = f"{MEMBERSHIP[:-1]}-during>"
BEGIN = f"{MEMBERSHIP[:-1]}-begin>"
INTERVAL = "<http://www.w3.org/2006/time#Interval>"
INSTANT = "<http://www.w3.org/2006/time#Instant>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
DATE = "<http://www.w3.org/2001/XMLSchema#date>"


def _load(tmp_path: Path, lines: list[str]) -> dict:
    path = tmp_path / "m.nt"
    path.write_text("\n".join(HEAD + lines) + "\n", encoding="utf-8")
    rows = read(path, base_iri="https://x.org/")
    (rel,) = [r for (name, _, _), group in rows.rels.items() if name == "WORKS_FOR" for r in group]
    return rel


def test_role_and_period_load_back(tmp_path: Path) -> None:
    rel = _load(tmp_path, [f"{MEMBERSHIP} <http://www.w3.org/ns/org#memberDuring> {DURING} .",
                           f"{DURING} {TYPE} {INTERVAL} .", f"{DURING} <http://www.w3.org/2006/time#hasBeginning> "
                           f"{BEGIN} .", f"{BEGIN} {TYPE} {INSTANT} .",
                           f'{BEGIN} <http://www.w3.org/2006/time#inXSDDate> "2019-07-01"^^{DATE} .'])
    assert (rel["title"], rel["since"], rel.get("until")) == ("Stellv. Vorsitzende/R", "2019-07-01", None)


@pytest.mark.parametrize(("lines", "message"), [
    ([f"{MEMBERSHIP} <http://www.w3.org/ns/org#memberDuring> {DURING} ."], "expected one time:Interval"),
    ([f"{MEMBERSHIP} <http://www.w3.org/ns/org#memberDuring> {DURING} .", f"{DURING} {TYPE} {INTERVAL} .",
      f"{DURING} <http://www.w3.org/2006/time#hasBeginning> {BEGIN} .", f"{BEGIN} {TYPE} {INSTANT} .",
      f'{BEGIN} <http://www.w3.org/2006/time#inXSDDate> "2019-13-45"^^{DATE} .'], "not a valid xsd:date"),
    ([f"{MEMBERSHIP} <http://www.w3.org/ns/org#memberDuring> {DURING} .", f"{DURING} {TYPE} {INTERVAL} .",
      f"{DURING} <http://www.w3.org/2006/time#hasBeginning> {BEGIN} .", f"{BEGIN} {TYPE} {INSTANT} .",
      f'{BEGIN} <http://www.w3.org/2006/time#inXSDDate> "2019-01-01"^^{DATE} .',
      f'{BEGIN} <http://www.w3.org/2006/time#inXSDDate> "2020-01-01"^^{DATE} .'], "one time:inXSDDate"),
    ([f"{MEMBERSHIP} <http://www.w3.org/ns/org#memberDuring> {DURING} .", f"{DURING} {TYPE} {INTERVAL} .",
      f'{DURING} <https://schema.org/startDate> "2019-01-01"^^{DATE} .'], "unexpected schema:startDate"),
    ([f"{MEMBERSHIP} <http://www.w3.org/ns/org#role> <https://x.org/id/role/Zweite> ."], "2 values"),
    ([f"{MEMBERSHIP} <http://www.w3.org/ns/org#memberDuring> \"2019\" ."], "expected one time:Interval"),
])
def test_malformed_memberships_are_refused_by_name(tmp_path: Path, lines: list[str], message: str) -> None:
    with pytest.raises(LoadError) as caught:
        _load(tmp_path, lines)
    assert message in str(caught.value) and "works-for-organization-o" in str(caught.value)


def test_shapes_refuse_a_broken_period_and_a_role_without_label(exported: Graph) -> None:
    shapes = Graph().parse(SHAPES_FILE)
    broken = Graph()
    for triple in exported:
        broken.add(triple)
    instant = next(exported.subjects(RDF.type, TIME.Instant))
    broken.remove((instant, TIME.inXSDDate, None))
    broken.add((instant, TIME.inXSDDate, Literal("1. Juli 2019")))
    role = next(exported.subjects(RDF.type, ORG.Role))
    broken.remove((role, SKOS.prefLabel, None))
    conforms, report, text = validate(broken, shacl_graph=shapes, advanced=True)
    assert not conforms
    focus = {str(o) for o in report.objects(None, URIRef("http://www.w3.org/ns/shacl#focusNode"))}
    assert {str(instant), str(role)} <= focus, text


# ---- roles are dereferenceable --------------------------------------------------------------
@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(base_iri=BASE), store=pilot_store), follow_redirects=False)


def _path(role: str) -> str:
    return "/" + role.removeprefix(BASE)


def test_every_published_role_dereferences_to_its_label(client: TestClient, exported: Graph) -> None:
    roles = list(exported.subjects(RDF.type, ORG.Role))
    assert roles
    for role in roles:
        answer = client.get(_path(str(role)), headers={"Accept": "application/n-triples"})
        assert answer.status_code == 200, role
        described = Graph().parse(data=answer.text, format="nt")
        assert (role, SKOS.prefLabel, exported.value(role, SKOS.prefLabel)) in described
    html = client.get(_path(str(roles[0])), headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")


def test_a_withheld_or_unknown_title_is_not_confirmed(client: TestClient, pilot_store: Store) -> None:
    rows = pilot_store.read("MATCH (a:Actor)-[r:WORKS_FOR]->() WHERE r.title IS NOT NULL RETURN r.title AS title, "
                            "a.visibility AS visibility")
    public = {r["title"] for r in rows if is_public(r)}
    withheld = {r["title"] for r in rows if not is_public(r)} - public
    assert withheld
    for title in [*sorted(withheld), "Oberbürgermeister von Nirgendwo", "a/b", "%00", "x" * 5000, "..%2F..%2Fetc"]:
        answer = client.get(_path(vocab.role_iri(BASE, title)))
        assert answer.status_code == 404, title
    assert client.get("/id/role/").status_code == 404


def test_sparql_over_the_export_counts_roles_per_organisation_kind_as_the_store_has_them(
        pilot_store: Store, kinds: dict[str, str]) -> None:
    """A researcher's question in ORG terms (how many people hold which role in which kind of organisation),
    answered by pyoxigraph over the N-Quads export, equals plain Python over the store's rows."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load("".join(export(pilot_store, BASE, "nq")).encode("utf-8"), ox.RdfFormat.N_QUADS)
    query = """
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?kind ?role (COUNT(DISTINCT ?person) AS ?n) WHERE {
          ?m a org:Membership ; org:member ?person ; org:organization ?o ; org:role ?r .
          ?o org:classification ?concept .
          ?concept skos:notation ?kind .
          ?r skos:prefLabel ?role .
        } GROUP BY ?kind ?role"""
    # the kinds' notations come from the ontology, as a consumer would load it beside the data
    store.load(ONTOLOGY_FILE.read_bytes(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(vocab.ONTOLOGY_IRI))
    answers = store.query(query, use_default_graph_as_union=True)
    got = {(row["kind"].value, row["role"].value, int(row["n"].value)) for row in answers}
    rows = pilot_store.read("MATCH (a:Actor)-[r:WORKS_FOR]->(o:Organization) WHERE r.title IS NOT NULL RETURN "
                            "a.id AS a, a.visibility AS visibility, o.id AS o, r.title AS title")
    counted: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        if is_public(row) and row["title"]:
            counted.setdefault((kinds[row["o"]], row["title"]), set()).add(row["a"])
    assert got and {(kind, title, len(people)) for (kind, title), people in counted.items()} == got
