"""The named query library: headers, parameter types, dialect variants, generated docs, the Neo4j
lint, and every query run on the pilot data with its expected rows."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from graph_api.config import PROJECT_ROOT
from graph_api.ingest import load_sample
from graph_api.query_docs import outdated
from graph_api.query_library import (
    DIALECTS,
    LibraryError,
    ParameterError,
    UnknownQuery,
    get_query,
    load_library,
    parse_file,
    run_named,
)
from graph_api.rows import GraphRows
from graph_api.store import Store
from tests.conftest import BACKENDS, NEO4J_SKIP_REASON, NEO4J_URI, _open

LIBRARY = load_library()
LINT_DIR = PROJECT_ROOT / "tools" / "cypher-lint"
LINT_FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "cypher_lint"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = """// name: sample
// purpose: A sample
// param: who: string = "Municipality:13076060"
// param: n: int = 3
// param: share: float = 0.5
// param: active: bool = true
// param: statuses: list<string> = ["ADOPTED"]
// param: since: date = "2020-01-01"
// param: required_one: string
// columns: id
// dialects: ladybug, neo4j
MATCH (m {id: $who}) WHERE $n > 0 AND $share > 0 AND $active AND m.s IN $statuses AND m.d >= $since
  AND m.x = $required_one
RETURN m.id AS id
"""


# ---- library shape --------------------------------------------------------------------------

def test_library_has_the_promised_queries_for_both_dialects() -> None:
    assert len(LIBRARY) >= 15
    for name in ("adopters_of_solution", "adoptions_in_territory", "solutions_by_need", "contact_paths",
                 "county_municipality_bridges", "key_persons", "brokers_between_counties", "transfer_lineage",
                 "diffusion_over_time", "coverage_gaps", "public_enterprises", "most_connected_actors",
                 "similar_municipalities", "orphan_records"):
        assert LIBRARY[name].dialects == DIALECTS, name
        assert LIBRARY[name].purpose and LIBRARY[name].columns


def test_variants_differ_where_the_dialects_do() -> None:
    paths = LIBRARY["brokers_between_counties"]
    assert "ALL SHORTEST" in paths.text_for("ladybug") and "properties(nodes(p)" in paths.text_for("ladybug")
    assert "allShortestPaths" in paths.text_for("neo4j") and "[n IN nodes(p)" in paths.text_for("neo4j")
    portable = LIBRARY["adopters_of_solution"]
    assert portable.text_for("ladybug") == portable.text_for("neo4j")
    assert not portable.text_for("neo4j").startswith("//")  # the header is not sent to the store


def test_header_parsing_and_defaults(tmp_path: Path) -> None:
    query, dialects = parse_file(_write(tmp_path, "sample.cypher", HEADER))
    assert dialects == ("ladybug", "neo4j") and query.columns == ("id",)
    assert [(p.name, p.type, p.default, p.required) for p in query.params] == [
        ("who", "string", "Municipality:13076060", False), ("n", "int", 3, False), ("share", "float", 0.5, False),
        ("active", "bool", True, False), ("statuses", "list<string>", ["ADOPTED"], False),
        ("since", "date", "2020-01-01", False), ("required_one", "string", None, True)]


def test_cli_strings_are_converted_by_declared_type(tmp_path: Path) -> None:
    query, _ = parse_file(_write(tmp_path, "sample.cypher", HEADER))
    bound = query.bind({"n": "7", "share": "0.25", "active": "no", "statuses": "PILOT, ADOPTED",
                        "since": "2024-03-01", "required_one": "x"})
    assert bound == {"who": "Municipality:13076060", "n": 7, "share": 0.25, "active": False,
                     "statuses": ["PILOT", "ADOPTED"], "since": "2024-03-01", "required_one": "x"}
    assert query.bind({"statuses": '["A", "B"]', "required_one": "x"})["statuses"] == ["A", "B"]
    assert query.bind({"n": 4, "statuses": ["X"], "active": True, "required_one": "x"})["n"] == 4  # JSON values


@pytest.mark.parametrize(("values", "param"), [
    ({"n": "seven"}, "n"), ({"n": 1.5}, "n"), ({"n": True}, "n"), ({"share": "half"}, "share"),
    ({"active": "perhaps"}, "active"), ({"statuses": [1]}, "statuses"), ({"since": "2024-13-01"}, "since"),
    ({"since": 20240101}, "since"), ({"who": 5}, "who"), ({"unknown": "x"}, "unknown"), ({}, "required_one"),
])
def test_bad_parameters_name_the_parameter(tmp_path: Path, values: dict[str, Any], param: str) -> None:
    query, _ = parse_file(_write(tmp_path, "sample.cypher", HEADER))
    if param != "required_one":
        values = {"required_one": "x", **values}
    with pytest.raises(ParameterError) as caught:
        query.bind(values)
    assert caught.value.param == param and f"'{param}'" in str(caught.value)


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.replace("// purpose: A sample\n", ""), "no '// purpose:'"),
    (lambda t: t.replace("int = 3", "integer = 3"), "bad param line"),
    (lambda t: t.replace("int = 3", "int = three"), "not a JSON int"),
    (lambda t: t.replace("AND m.x = $required_one", "AND m.x = $other"), "differ from those declared"),
    (lambda t: t.replace("ladybug, neo4j", "ladybug, oracle"), "do not fit"),
    (lambda t: t.replace("// name: sample", "// name: other"), "does not match"),
])
def test_malformed_headers_are_refused(tmp_path: Path, change: Any, message: str) -> None:
    with pytest.raises(LibraryError, match=message):
        parse_file(_write(tmp_path, "sample.cypher", change(HEADER)))


def test_variants_merge_and_must_agree(tmp_path: Path) -> None:
    _write(tmp_path, "sample.ladybug.cypher", HEADER.replace("ladybug, neo4j", "ladybug"))
    neo4j = HEADER.replace("ladybug, neo4j", "neo4j").replace("RETURN", "RETURN DISTINCT")
    _write(tmp_path, "sample.neo4j.cypher", neo4j)
    library = load_library(tmp_path)
    assert library["sample"].dialects == ("ladybug", "neo4j")
    assert "DISTINCT" in library["sample"].text_for("neo4j") and "DISTINCT" not in library["sample"].text_for("ladybug")
    _write(tmp_path, "sample.neo4j.cypher", HEADER.replace("ladybug, neo4j", "neo4j").replace("A sample", "Other"))
    with pytest.raises(LibraryError, match="differs from the other variant"):
        load_library(tmp_path)
    _write(tmp_path, "sample.neo4j.cypher", HEADER.replace("ladybug, neo4j", "ladybug"))
    with pytest.raises(LibraryError, match="do not fit the file name"):
        load_library(tmp_path)


def test_an_empty_library_is_an_error_not_an_empty_list(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="no named queries"):
        load_library(tmp_path)


def test_unknown_query_and_missing_dialect(tmp_path: Path) -> None:
    with pytest.raises(UnknownQuery):
        get_query("no_such_query")
    _write(tmp_path, "sample.ladybug.cypher", HEADER.replace("ladybug, neo4j", "ladybug"))
    with pytest.raises(UnknownQuery, match="no variant for the neo4j store"):
        load_library(tmp_path)["sample"].text_for("neo4j")


def test_generated_docs_and_lint_schema_are_up_to_date(pilot_store: Store) -> None:
    assert outdated(pilot_store) == [], "run: python -m graph_api.query_docs --write"


# ---- the Neo4j lint ---------------------------------------------------------------------------

def _lint(*targets: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; the Neo4j query lint needs Node.js >= 20")
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        pytest.skip("lint dependencies missing: run `npm ci --prefix tools/cypher-lint`")
    return subprocess.run([node, str(LINT_DIR / "lint.mjs"), *map(str, targets)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120, check=False)


def test_neo4j_variants_pass_the_lint() -> None:
    done = _lint()
    assert done.returncode == 0, done.stderr
    assert f"{len(LIBRARY)} Neo4j queries checked, 0 finding(s)" in done.stdout


@pytest.mark.parametrize(("fixture", "message"), [
    ("syntax_error", "error: Invalid input 'RETURN'"),
    ("undefined_variable", "error: Variable `y` not defined"),
    ("undeclared_parameter", "error: Parameter $status is not defined"),
    ("unknown_label", "warning: Label Municipalty is not present"),
])
def test_lint_fails_on_a_broken_query(fixture: str, message: str) -> None:
    done = _lint(LINT_FIXTURES / f"{fixture}.neo4j.cypher")
    assert done.returncode == 1
    assert f"{fixture}.neo4j.cypher:6:" in done.stderr and message in done.stderr


# ---- every query on the pilot data ----------------------------------------------------------------
# (query, parameters, number of rows, the rows — all of them, or the first five of a long result).
# Written against the pilot dataset as committed on 2026-11-23 ("Pilot dataset: …" commits up to e66c541,
# plus the GV100AD and OParl samples loaded by `load_sample`).
CASES: list[tuple[str, dict[str, Any], int, list[dict[str, Any]]]] = [
    ('adopters_of_solution', {}, 8,
     [{'adoption_id': 'Adoption:boizenburg-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076014',
       'adopter_name': 'Boizenburg/ Elbe, Stadt',
       'status': 'PLANNED',
       'started_on': '2024-03-01',
       'ended_on': None,
       'outcome': 'Bestandsaufnahme (Phase 1) beauftragt.'},
      {'adoption_id': 'Adoption:grabow-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076050',
       'adopter_name': 'Grabow, Stadt',
       'status': 'ABANDONED',
       'started_on': '2024-03-15',
       'ended_on': '2025-03-31',
       'outcome': 'Nach Phase 1 ausgesetzt – keine personelle Kapazität im Amt für den Prozess.'},
      {'adoption_id': 'Adoption:parchim-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076108',
       'adopter_name': 'Parchim, Stadt',
       'status': 'ADOPTED',
       'started_on': '2024-04-01',
       'ended_on': None,
       'outcome': 'Umsetzungsplan beschlossen; Monitoring (Phase 4) ab 2026.'},
      {'adoption_id': 'Adoption:wittenburg-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076152',
       'adopter_name': 'Wittenburg, Stadt',
       'status': 'PILOT',
       'started_on': '2024-05-01',
       'ended_on': None,
       'outcome': 'Phase 2 (Ziele) mit Bürgerforum abgeschlossen.'},
      {'adoption_id': 'Adoption:ratzeburg-digitale-lokale-agenda',
       'adopter_id': 'Municipality:01053100',
       'adopter_name': 'Ratzeburg, Stadt',
       'status': 'CONSIDERING',
       'started_on': '2025-01-15',
       'ended_on': None,
       'outcome': 'Hospitation in Hagenow; Entscheidung im Hauptausschuss steht aus.'},
      {'adoption_id': 'Adoption:zarrentin-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076159',
       'adopter_name': 'Zarrentin am Schaalsee, Stadt',
       'status': 'PLANNED',
       'started_on': '2025-02-01',
       'ended_on': None,
       'outcome': None},
      {'adoption_id': 'Adoption:moelln-digitale-lokale-agenda',
       'adopter_id': 'Municipality:01053090',
       'adopter_name': 'Mölln, Stadt',
       'status': 'PLANNED',
       'started_on': '2025-06-01',
       'ended_on': None,
       'outcome': None},
      {'adoption_id': 'Adoption:hagenow-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076060',
       'adopter_name': 'Hagenow, Stadt',
       'status': 'ADOPTED',
       'started_on': None,
       'ended_on': None,
       'outcome': 'Beteiligungsprozess mit allen Akteuren abgeschlossen; Hagenow ist in Phase drei '
                  '(Umsetzungskonzept) des Referenzmodells angekommen, die konkrete Strategie ist der nächste '
                  'Schritt.'}]),
    ('adoptions_in_territory', {}, 31,
     [{'adoption_id': 'Adoption:boizenburg-laeuft',
       'solution_id': 'Solution:boizenburg-laeuft',
       'solution_name': 'Boizenburg läuft – Spendenlauf für den öffentlichen Raum',
       'adopter_id': 'Municipality:13076014',
       'adopter_name': 'Boizenburg/ Elbe, Stadt',
       'status': 'ADOPTED',
       'started_on': '2019-05-01'},
      {'adoption_id': 'Adoption:ludwigslust-online-terminvergabe',
       'solution_id': 'Solution:online-terminvergabe',
       'solution_name': 'Online-Terminvergabe im Bürgerbüro',
       'adopter_id': 'Municipality:13076090',
       'adopter_name': 'Ludwigslust, Stadt',
       'status': 'ADOPTED',
       'started_on': '2020-09-01'},
      {'adoption_id': 'Adoption:boizenburg-dorfaktion',
       'solution_id': 'Solution:gemeinschaftliche-dorfaktion',
       'solution_name': 'Gemeinschaftliche Dorfaktion',
       'adopter_id': 'Association:130765652',
       'adopter_name': 'Boizenburg-Land',
       'status': 'ADOPTED',
       'started_on': '2021-04-01'},
      {'adoption_id': 'Adoption:kreis-lup-digitallotsen',
       'solution_id': 'Solution:digitallotsen',
       'solution_name': 'Digitallots:innen für Kommunen',
       'adopter_id': 'Organization:kreisverwaltung-ludwigslust-parchim',
       'adopter_name': 'Kreisverwaltung Ludwigslust-Parchim',
       'status': 'ADOPTED',
       'started_on': '2022-01-01'},
      {'adoption_id': 'Adoption:kreis-lup-online-terminvergabe',
       'solution_id': 'Solution:online-terminvergabe',
       'solution_name': 'Online-Terminvergabe im Bürgerbüro',
       'adopter_id': 'Organization:kreisverwaltung-ludwigslust-parchim',
       'adopter_name': 'Kreisverwaltung Ludwigslust-Parchim',
       'status': 'SCALED',
       'started_on': '2022-03-01'}]),
    ('adoptions_in_territory', {'territory': 'Association:130765652', 'statuses': ['ADOPTED', 'SCALED']}, 1,
     [{'adoption_id': 'Adoption:boizenburg-dorfaktion',
       'solution_id': 'Solution:gemeinschaftliche-dorfaktion',
       'solution_name': 'Gemeinschaftliche Dorfaktion',
       'adopter_id': 'Association:130765652',
       'adopter_name': 'Boizenburg-Land',
       'status': 'ADOPTED',
       'started_on': '2021-04-01'}]),
    ('awarded_solutions', {}, 8,
     [{'solution_id': 'Solution:ankommen-begleiten',
       'solution_name': 'Ankommen von Eingewanderten und Geflüchteten begleiten',
       'award_id': 'Award:bewaehrt-vor-ort',
       'award_name': 'Bewährt vor Ort',
       'year': 2024,
       'adopters': 0},
      {'solution_id': 'Solution:digitaler-buergerservice',
       'solution_name': 'Digitaler Bürgerservice aus einer Hand',
       'award_id': 'Award:bewaehrt-vor-ort',
       'award_name': 'Bewährt vor Ort',
       'year': 2024,
       'adopters': 0},
      {'solution_id': 'Solution:kooperation-zivilgesellschaft-wirtschaft',
       'solution_name': 'Kooperation mit Zivilgesellschaft und lokaler Wirtschaft',
       'award_id': 'Award:bewaehrt-vor-ort',
       'award_name': 'Bewährt vor Ort',
       'year': 2024,
       'adopters': 0},
      {'solution_id': 'Solution:leicht-verstaendliche-ausschreibungen',
       'solution_name': 'Leicht verständliche Ausschreibungen',
       'award_id': 'Award:bewaehrt-vor-ort',
       'award_name': 'Bewährt vor Ort',
       'year': 2024,
       'adopters': 0},
      {'solution_id': 'Solution:mehrwegangebotspflicht',
       'solution_name': 'Umsetzung der Mehrwegangebotspflicht',
       'award_id': 'Award:bewaehrt-vor-ort',
       'award_name': 'Bewährt vor Ort',
       'year': 2024,
       'adopters': 0},
      {'solution_id': 'Solution:notfallalarmierung',
       'solution_name': 'Bessere Abdeckung der Notfallalarmierung',
       'award_id': 'Award:bewaehrt-vor-ort',
       'award_name': 'Bewährt vor Ort',
       'year': 2024,
       'adopters': 0},
      {'solution_id': 'Solution:silos-aufloesen-arbeitsweise',
       'solution_name': 'Neue Arbeitsweisen gegen Verwaltungssilos',
       'award_id': 'Award:bewaehrt-vor-ort',
       'award_name': 'Bewährt vor Ort',
       'year': 2024,
       'adopters': 0},
      {'solution_id': 'Solution:willkommensmappe',
       'solution_name': 'Willkommensmappe für Neubürger:innen',
       'award_id': 'Award:demo-preis-gute-verwaltungsidee',
       'award_name': 'Demo-Preis "Gute Verwaltungsidee" (fiktiv)',
       'year': 2023,
       'adopters': 4}]),
    ('brokers_between_counties', {}, 6,
     [{'broker_id': 'Organization:landvorteil', 'broker_name': 'Landvorteil e.V.', 'paths': 1, 'share': 0.167},
      {'broker_id': 'Organization:metropolregion-hamburg',
       'broker_name': 'Metropolregion Hamburg',
       'paths': 1,
       'share': 0.167},
      {'broker_id': 'Project:chatbot-verbund-landvorteil',
       'broker_name': 'Chatbot-Verbund der Landvorteil-Region',
       'paths': 1,
       'share': 0.167},
      {'broker_id': 'Project:iq-kollektive-umsetzung',
       'broker_name': 'Kollektive Umsetzung "IQ – innovativ und quervernetzt"',
       'paths': 1,
       'share': 0.167},
      {'broker_id': 'Project:landvorteil-innovationsatlas',
       'broker_name': 'Landvorteil – Innovationsatlas',
       'paths': 1,
       'share': 0.167},
      {'broker_id': 'Project:landvorteil-innovative-verwaltung',
       'broker_name': 'Landvorteil-Folgeprojekt "Innovative Verwaltung"',
       'paths': 1,
       'share': 0.167}]),
    ('diffusion_over_time', {}, 23,
     [{'county_ags': '01053', 'county_name': 'Herzogtum Lauenburg', 'quarter': '2020-Q1', 'adoptions': 1},
      {'county_ags': '01053', 'county_name': 'Herzogtum Lauenburg', 'quarter': '2021-Q2', 'adoptions': 2},
      {'county_ags': '01053', 'county_name': 'Herzogtum Lauenburg', 'quarter': '2022-Q2', 'adoptions': 1},
      {'county_ags': '01053', 'county_name': 'Herzogtum Lauenburg', 'quarter': '2022-Q3', 'adoptions': 1},
      {'county_ags': '01053', 'county_name': 'Herzogtum Lauenburg', 'quarter': '2022-Q4', 'adoptions': 1}]),
    ('most_connected_actors', {'limit': 5}, 5,
     [{'actor_id': 'Actor:digitallotse-kreis-lup',
       'display_name': 'Digitallotse:in, Kreisverwaltung Ludwigslust-Parchim',
       'contacts': 11,
       'organizations': 2,
       'projects': 2,
       'adoptions': 2,
       'degree': 17},
      {'actor_id': 'Actor:kommunalbeauftragte-kreis-rz',
       'display_name': 'Kommunalbeauftragte:r, Kreis Herzogtum Lauenburg',
       'contacts': 8,
       'organizations': 2,
       'projects': 1,
       'adoptions': 1,
       'degree': 12},
      {'actor_id': 'Actor:smart-city-hagenow',
       'display_name': 'Digitalisierung, Stadt Hagenow',
       'contacts': 5,
       'organizations': 1,
       'projects': 2,
       'adoptions': 4,
       'degree': 12},
      {'actor_id': 'Actor:stadtentwicklung-geesthacht',
       'display_name': 'Stadtentwicklung, Stadt Geesthacht',
       'contacts': 5,
       'organizations': 1,
       'projects': 1,
       'adoptions': 5,
       'degree': 12},
      {'actor_id': 'Actor:buergermeister-hagenow',
       'display_name': 'Bürgermeister:in der Stadt Hagenow',
       'contacts': 5,
       'organizations': 1,
       'projects': 1,
       'adoptions': 3,
       'degree': 10}]),
    ('municipalities_of_territory', {}, 11,
     [{'municipality_id': 'Municipality:13076009',
       'municipality_name': 'Bengerstorf',
       'association_name': 'Boizenburg-Land',
       'population': 540,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076010',
       'municipality_name': 'Besitz',
       'association_name': 'Boizenburg-Land',
       'population': 450,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076016',
       'municipality_name': 'Brahlstorf',
       'association_name': 'Boizenburg-Land',
       'population': 715,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076030',
       'municipality_name': 'Dersenow',
       'association_name': 'Boizenburg-Land',
       'population': 465,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076054',
       'municipality_name': 'Gresse',
       'association_name': 'Boizenburg-Land',
       'population': 706,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076055',
       'municipality_name': 'Greven',
       'association_name': 'Boizenburg-Land',
       'population': 721,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076102',
       'municipality_name': 'Neu Gülze',
       'association_name': 'Boizenburg-Land',
       'population': 769,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076106',
       'municipality_name': 'Nostorf',
       'association_name': 'Boizenburg-Land',
       'population': 672,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076122',
       'municipality_name': 'Schwanheide',
       'association_name': 'Boizenburg-Land',
       'population': 737,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076136',
       'municipality_name': 'Teldau',
       'association_name': 'Boizenburg-Land',
       'population': 1029,
       'adoptions': 0},
      {'municipality_id': 'Municipality:13076138',
       'municipality_name': 'Tessin b. Boizenburg',
       'association_name': 'Boizenburg-Land',
       'population': 409,
       'adoptions': 0}]),
    ('orphan_records', {}, 0,
     []),
    ('public_enterprises', {}, 34,
     [{'enterprise_id': 'Organization:abfallwirtschaft-ludwigslust-parchim',
       'enterprise_name': 'Abfallwirtschaft Ludwigslust-Parchim AöR',
       'legal_form': 'AöR',
       'owner_id': 'County:13076',
       'owner_name': 'Ludwigslust-Parchim',
       'share': 1.0},
      {'enterprise_id': 'Organization:abfallwirtschaft-suedholstein',
       'enterprise_name': 'Abfallwirtschaft Südholstein GmbH',
       'legal_form': 'GmbH',
       'owner_id': 'County:01053',
       'owner_name': 'Herzogtum Lauenburg',
       'share': 0.5},
      {'enterprise_id': 'Organization:abfallwirtschaft-suedholstein',
       'enterprise_name': 'Abfallwirtschaft Südholstein GmbH',
       'legal_form': 'GmbH',
       'owner_id': 'Organization:kreisverwaltung-stormarn',
       'owner_name': 'Kreisverwaltung Stormarn',
       'share': 0.5},
      # OParl keys come from the OParl ids (loaders/oparl_names.object_key), not the names
      {'enterprise_id': 'Organization:oparl-karlsruhe-organizations-at-882969-468f71277b',
       'enterprise_name': 'Bäderbetriebe',
       'legal_form': None,
       'owner_id': 'Organization:oparl-karlsruhe-bodies-0001-0e3695d7bc',
       'owner_name': 'Stadtverwaltung Karlsruhe',
       'share': None},
      {'enterprise_id': 'Organization:oparl-karlsruhe-organizations-at-882988-d98a5824a8',
       'enterprise_name': 'Stadtwerke',
       'legal_form': None,
       'owner_id': 'Organization:oparl-karlsruhe-bodies-0001-0e3695d7bc',
       'owner_name': 'Stadtverwaltung Karlsruhe',
       'share': None}]),
    ('similar_municipalities', {}, 10,
     [{'municipality_id': 'Municipality:13076108',
       'municipality_name': 'Parchim, Stadt',
       'population': 17622,
       'population_gap': 5377,
       'same_county': True,
       'shared_solutions': 2,
       'score': 5},
      {'municipality_id': 'Municipality:13076152',
       'municipality_name': 'Wittenburg, Stadt',
       'population': 6303,
       'population_gap': 5942,
       'same_county': True,
       'shared_solutions': 1,
       'score': 3},
      {'municipality_id': 'Municipality:01053129',
       'municipality_name': 'Wentorf bei Hamburg',
       'population': 13391,
       'population_gap': 1146,
       'same_county': False,
       'shared_solutions': 1,
       'score': 2},
      {'municipality_id': 'Municipality:01053100',
       'municipality_name': 'Ratzeburg, Stadt',
       'population': 14517,
       'population_gap': 2272,
       'same_county': False,
       'shared_solutions': 1,
       'score': 2}]),
    ('solutions_by_need', {}, 8,
     [{'solution_id': 'Solution:klimawerkstatt',
       'solution_name': 'Klimawerkstatt',
       'maturity': 'pilot',
       'addresses': ['Concept:need-beteiligung-staerken'],
       'active_adopters': 4,
       'awarded': False},
      {'solution_id': 'Solution:digitale-lokale-agenda',
       'solution_name': 'Digitale lokale Agenda (Vier-Phasen-Referenzmodell)',
       'maturity': 'proven',
       'addresses': ['Concept:need-beteiligung-staerken'],
       'active_adopters': 3,
       'awarded': False},
      {'solution_id': 'Solution:kommunale-app',
       'solution_name': 'Kommunale App',
       'maturity': 'proven',
       'addresses': ['Concept:need-beteiligung-staerken'],
       'active_adopters': 3,
       'awarded': False},
      {'solution_id': 'Solution:boizenburg-laeuft',
       'solution_name': 'Boizenburg läuft – Spendenlauf für den öffentlichen Raum',
       'maturity': 'proven',
       'addresses': ['Concept:need-beteiligung-staerken'],
       'active_adopters': 2,
       'awarded': False},
      {'solution_id': 'Solution:gemeinschaftliche-dorfaktion',
       'solution_name': 'Gemeinschaftliche Dorfaktion',
       'maturity': 'proven',
       'addresses': ['Concept:need-beteiligung-staerken'],
       'active_adopters': 2,
       'awarded': False},
      {'solution_id': 'Solution:charrette-beteiligung',
       'solution_name': 'Charrette-Verfahren',
       'maturity': 'proven',
       'addresses': ['Concept:need-beteiligung-staerken'],
       'active_adopters': 1,
       'awarded': False},
      {'solution_id': 'Solution:generationenprojekt',
       'solution_name': 'Generationenübergreifendes Projekt',
       'maturity': 'pilot',
       'addresses': ['Concept:need-beteiligung-staerken'],
       'active_adopters': 0,
       'awarded': False},
      {'solution_id': 'Solution:mobile-forschungsstation',
       'solution_name': 'Mobile Forschungsstation',
       'maturity': 'pilot',
       'addresses': ['Concept:need-beteiligung-staerken'],
       'active_adopters': 0,
       'awarded': False}]),
    ('transfer_lineage', {}, 8,
     [{'generation': 0,
       'adoption_id': 'Adoption:hagenow-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076060',
       'adopter_name': 'Hagenow, Stadt',
       'started_on': None,
       'status': 'ADOPTED',
       'learned_from': []},
      {'generation': 1,
       'adoption_id': 'Adoption:boizenburg-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076014',
       'adopter_name': 'Boizenburg/ Elbe, Stadt',
       'started_on': '2024-03-01',
       'status': 'PLANNED',
       'learned_from': ['Adoption:hagenow-digitale-lokale-agenda']},
      {'generation': 1,
       'adoption_id': 'Adoption:grabow-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076050',
       'adopter_name': 'Grabow, Stadt',
       'started_on': '2024-03-15',
       'status': 'ABANDONED',
       'learned_from': ['Adoption:hagenow-digitale-lokale-agenda']},
      {'generation': 1,
       'adoption_id': 'Adoption:parchim-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076108',
       'adopter_name': 'Parchim, Stadt',
       'started_on': '2024-04-01',
       'status': 'ADOPTED',
       'learned_from': ['Adoption:hagenow-digitale-lokale-agenda']},
      {'generation': 1,
       'adoption_id': 'Adoption:wittenburg-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076152',
       'adopter_name': 'Wittenburg, Stadt',
       'started_on': '2024-05-01',
       'status': 'PILOT',
       'learned_from': ['Adoption:hagenow-digitale-lokale-agenda']},
      {'generation': 1,
       'adoption_id': 'Adoption:ratzeburg-digitale-lokale-agenda',
       'adopter_id': 'Municipality:01053100',
       'adopter_name': 'Ratzeburg, Stadt',
       'started_on': '2025-01-15',
       'status': 'CONSIDERING',
       'learned_from': ['Adoption:hagenow-digitale-lokale-agenda']},
      {'generation': 1,
       'adoption_id': 'Adoption:moelln-digitale-lokale-agenda',
       'adopter_id': 'Municipality:01053090',
       'adopter_name': 'Mölln, Stadt',
       'started_on': '2025-06-01',
       'status': 'PLANNED',
       'learned_from': ['Adoption:hagenow-digitale-lokale-agenda']},
      {'generation': 2,
       'adoption_id': 'Adoption:zarrentin-digitale-lokale-agenda',
       'adopter_id': 'Municipality:13076159',
       'adopter_name': 'Zarrentin am Schaalsee, Stadt',
       'started_on': '2025-02-01',
       'status': 'PLANNED',
       'learned_from': ['Adoption:wittenburg-digitale-lokale-agenda']}]),
    ('transfer_lineage', {'solution': 'Solution:klimawerkstatt'}, 6,
     [{'generation': 0,
       'adoption_id': 'Adoption:moelln-klimawerkstatt',
       'adopter_id': 'Municipality:01053090',
       'adopter_name': 'Mölln, Stadt',
       'started_on': '2022-09-01',
       'status': 'ADOPTED',
       'learned_from': []},
      {'generation': 1,
       'adoption_id': 'Adoption:geesthacht-klimawerkstatt',
       'adopter_id': 'Municipality:01053032',
       'adopter_name': 'Geesthacht, Stadt',
       'started_on': '2023-05-01',
       'status': 'ADOPTED',
       'learned_from': ['Adoption:moelln-klimawerkstatt']},
      {'generation': 1,
       'adoption_id': 'Adoption:hagenow-klimawerkstatt',
       'adopter_id': 'Municipality:13076060',
       'adopter_name': 'Hagenow, Stadt',
       'started_on': '2024-04-01',
       'status': 'PILOT',
       'learned_from': ['Adoption:moelln-klimawerkstatt']},
      {'generation': 1,
       'adoption_id': 'Adoption:parchim-klimawerkstatt',
       'adopter_id': 'Municipality:13076108',
       'adopter_name': 'Parchim, Stadt',
       'started_on': '2024-10-01',
       'status': 'PILOT',
       'learned_from': ['Adoption:moelln-klimawerkstatt']},
      {'generation': 1,
       'adoption_id': 'Adoption:kreis-lup-klimawerkstatt',
       'adopter_id': 'County:13076',
       'adopter_name': 'Ludwigslust-Parchim',
       'started_on': '2025-11-01',
       'status': 'CONSIDERING',
       'learned_from': ['Adoption:moelln-klimawerkstatt']},
      {'generation': 2,
       'adoption_id': 'Adoption:schwarzenbek-klimawerkstatt',
       'adopter_id': 'Municipality:01053116',
       'adopter_name': 'Schwarzenbek, Stadt',
       'started_on': '2023-06-01',
       'status': 'ABANDONED',
       'learned_from': ['Adoption:geesthacht-klimawerkstatt']}]),
]


@pytest.fixture(scope="module")
def neo4j_pilot(tmp_path_factory: pytest.TempPathFactory) -> Store:
    if not NEO4J_URI:
        pytest.skip(NEO4J_SKIP_REASON)
    store = _open("neo4j", tmp_path_factory.mktemp("neo4j-pilot"))
    load_sample(store)
    yield store
    store.close()


# The mission queries are checked against their GraphQL fields (tests/test_mission_named_queries.py),
# which are checked against the networkx oracle (tests/test_mission_oracle.py), not against copied rows.
MISSION_CHECKED = {"contact_paths", "county_municipality_bridges", "county_reach", "coverage_gaps", "key_persons"}
# The needs-log and funding queries are checked against plain-Python counts over the curated YAML
# (tests/test_solution_profiles.py).
PROFILE_CHECKED = {"open_needs_per_county", "solutions_by_funding_programme"}


def test_every_query_has_expected_rows() -> None:
    assert {case[0] for case in CASES} | MISSION_CHECKED | PROFILE_CHECKED == set(LIBRARY)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("name", "params", "count", "rows"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_query_on_pilot_data(request: pytest.FixtureRequest, backend: str, name: str, params: dict[str, Any],
                             count: int, rows: list[dict[str, Any]]) -> None:
    store = request.getfixturevalue("pilot_store" if backend == "ladybug" else "neo4j_pilot")
    result = run_named(store, LIBRARY[name], params)
    assert result.columns == list(LIBRARY[name].columns)
    assert not result.truncated
    assert result.rows[:len(rows)] == rows
    assert len(result.rows) == count


def test_orphan_records_finds_what_is_missing(fresh_pilot_store: Store) -> None:
    assert run_named(fresh_pilot_store, LIBRARY["orphan_records"], {}).rows == []
    rows = GraphRows()
    rows.add_node("Organization", {"id": "Organization:ohne-quelle", "name": "Ohne Quelle", "kind": "NETWORK"})
    rows.add_node("Actor", {"id": "Actor:ohne-rolle", "name": "Rolle X", "role_label": "Rolle X",
                            "visibility": "restricted"})
    rows.add_node("Source", {"id": "Source:nie-zitiert", "title": "Nie zitiert"})
    rows.add_node("Concept", {"id": "Concept:unbenutzt", "label": "Unbenutzt", "scheme": "topics"})
    fresh_pilot_store.apply(rows)
    found = run_named(fresh_pilot_store, LIBRARY["orphan_records"], {}).rows
    assert found == [
        {"problem": "organization without source", "node_id": "Organization:ohne-quelle"},
        {"problem": "actor without source", "node_id": "Actor:ohne-rolle"},
        {"problem": "actor without role", "node_id": "Actor:ohne-rolle"},
        {"problem": "concept not used", "node_id": "Concept:unbenutzt"},
        {"problem": "source not cited", "node_id": "Source:nie-zitiert"},
    ]
