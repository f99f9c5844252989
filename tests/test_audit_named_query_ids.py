"""Every named query refuses an id that names nothing, or names the wrong kind of node (issue 16, "errors,
not silence", at the analysts' door).

Found by the audit: `POST /queries/coverage_gaps` with an unknown category listed every inhabited
municipality of the county as a gap (the finding of issue 16, fixed in GraphQL only), and
`transfer_lineage`, `solutions_by_need`, `open_needs_per_county` and `similar_municipalities` answered
an unknown id with an empty or unfiltered list. The `// ids:` header declares which labels a
parameter may name; `run_named` checks the value against the graph before the query runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_api.cli import main
from graph_api.query_library import load_library
from graph_api.store import Store
from tests.graphql_client import GraphQLClient

LIBRARY = load_library()
ID_PARAMS = [(query.name, param, labels) for query in LIBRARY.values() for param, labels in query.ids]
LOOKS_LIKE_AN_ID = re.compile(r"^[A-Z][A-Za-z]+:\S+$")


def test_every_parameter_that_takes_an_id_declares_its_labels() -> None:
    """A new query with an id parameter cannot forget the check: its default shows that it takes an id."""
    undeclared = [f"{query.name}.{param.name}" for query in LIBRARY.values() for param in query.params
                  if isinstance(param.default, str) and LOOKS_LIKE_AN_ID.match(param.default)
                  and param.name not in dict(query.ids)]
    assert undeclared == []
    assert len(ID_PARAMS) >= 15


@pytest.fixture(scope="module")
def http(pilot_store: Store):
    return GraphQLClient(pilot_store).http


@pytest.mark.parametrize(("name", "param", "labels"), ID_PARAMS, ids=[f"{n}.{p}" for n, p, _ in ID_PARAMS])
def test_an_unknown_malformed_or_wrong_kind_of_id_is_400_naming_the_parameter(http, name: str, param: str,
                                                                             labels: tuple[str, ...]) -> None:
    wrong_kind = "Solution:klimawerkstatt" if "Solution" not in labels else "County:13076"
    for value, says in ((f"{labels[0]}:does-not-exist", "in the graph"), ("nonsense", "not a valid id"),
                        (wrong_kind, "expected")):
        response = http.post(f"/queries/{name}", json={param: value})
        assert response.status_code == 400, (name, param, value, response.text[:300])
        detail = response.json()["detail"]
        assert detail["parameter"] == param and says in detail["message"], detail
    assert http.post(f"/queries/{name}", json={}).status_code == 200  # the defaults name existing nodes


def test_the_coverage_gaps_of_an_unknown_category_are_not_every_municipality(http) -> None:
    response = http.post("/queries/coverage_gaps", json={"county": "County:13076", "category": "Concept:nope"})
    assert response.status_code == 400 and "rows" not in response.json()


def test_the_command_line_names_the_parameter_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "empty.lbdb")
    assert main(["--db", db, "query", "transfer_lineage", "-p", "solution=Solution:nope"]) == 2
    assert "parameter 'solution': no Solution 'Solution:nope' in the graph" in capsys.readouterr().err
