"""The named query library: headers, parameter types, dialect variants, generated docs, the Neo4j
lint, and every query run on the pilot data with its expected rows."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from graph_api.config import PROJECT_ROOT
from graph_api.query_docs import outdated
from graph_api.query_library import (
    DIALECTS,
    LibraryError,
    ParameterError,
    UnknownQuery,
    get_query,
    load_library,
    parse_file,
)
from graph_api.store import Store

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
    paths = LIBRARY["contact_paths"]
    assert "ALL SHORTEST" in paths.text_for("ladybug") and "label(x)" in paths.text_for("ladybug")
    assert "allShortestPaths" in paths.text_for("neo4j") and "type(r)" in paths.text_for("neo4j")
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
