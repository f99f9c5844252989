"""Hostile records for every loader and the mutations: one set of rules (`loaders/record_rules.py`),
each refusal located (file, line or record, field), nothing written, no traceback."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from graph_api.ingest import load
from graph_api.loaders import curated, gv100ad, oparl, rdf
from graph_api.loaders.record_rules import check_node
from graph_api.rdf import vocab as v
from graph_api.rows import LoadError
from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient

BASE = "https://copgraph.example.org/"
PILOT = Path(__file__).resolve().parents[2] / "data" / "sample" / "gv100ad_pilot.ASC"


def problems_of(load, path: Path, **options) -> list[str]:  # noqa: ANN001 - a loader function
    with pytest.raises(LoadError) as caught:
        load(path, **options)
    return [str(p) for p in caught.value.problems]


def curated_file(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


# ---- curated YAML ----------------------------------------------------------------------------------
def test_yaml_alias_bomb_is_refused_quickly_and_in_little_memory(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    path = curated_file(tmp_path, "solutions.yaml", bomb)
    tracemalloc.start()
    found = problems_of(curated.read, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert found == [f"{path / 'solutions.yaml'}:2: yaml: aliases (*a) are not allowed in curated files; "
                     "write the value out"]
    assert peak < 20 << 20


def test_deep_yaml_nesting_is_a_located_error(tmp_path: Path) -> None:
    path = curated_file(tmp_path, "solutions.yaml", "- id: x\n  name: " + "[" * 5000 + "]" * 5000 + "\n")
    found = problems_of(curated.read, path)
    assert len(found) == 1 and found[0].startswith(f"{path / 'solutions.yaml'}:2: yaml: nested deeper than")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("url", "javascript:alert(1)", "'javascript:alert(1)' is not an http:// or https:// URL"),
    ("url", "data:text/html,x", "is not an http:// or https:// URL"),
    ("name", "\"Tab\\there\"", "contains a control character"),
    ("name", "\"   \"", "is required and must not be blank"),
])
def test_curated_solution_fields(tmp_path: Path, field: str, value: str, message: str) -> None:
    record = {"id": "s1", "name": "Eine Lösung", field: value}
    text = "- " + "\n  ".join(f"{k}: {v}" for k, v in record.items()) + "\n"
    path = curated_file(tmp_path, "solutions.yaml", text)
    found = problems_of(curated.read, path)
    located = [p for p in found if p.startswith(f"{path / 'solutions.yaml'}:") and f": {field}: " in p]
    assert any(message in p for p in located), found


def test_a_huge_value_never_becomes_a_huge_message(tmp_path: Path) -> None:
    path = curated_file(tmp_path, "solutions.yaml", f"- id: s1\n  name: x\n  maturity: {'y' * 2_000_000}\n")
    found = problems_of(curated.read, path)
    assert found and max(len(p) for p in found) < 500


@pytest.mark.parametrize(("given", "stored"),
                         [("Restricted", "restricted"), (" PUBLIC ", "public"), (None, "restricted")])
def test_visibility_is_normalised_and_missing_means_restricted(tmp_path: Path, given: str | None, stored: str) -> None:
    line = f"  visibility: '{given}'\n" if given is not None else ""
    path = curated_file(tmp_path, "actors.yaml", f"- id: a1\n  name: A. Person\n  role_label: Amtsleitung\n{line}")
    rows = curated.read(path)
    assert rows.nodes["Actor"][0]["visibility"] == stored


def test_an_unknown_visibility_is_refused(tmp_path: Path) -> None:
    path = curated_file(tmp_path, "actors.yaml", "- id: a1\n  name: A\n  role_label: R\n  visibility: secret\n")
    assert any(":4: visibility: 'secret' is not a visibility" in p for p in problems_of(curated.read, path))


# ---- OParl -----------------------------------------------------------------------------------------
def test_deep_oparl_json_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"id": "https://x.org/oparl/body/1",\n "data": ' + "[" * 100_000 + "]" * 100_000 + "}",
                    encoding="utf-8")
    assert problems_of(oparl.read, path) == [f"{path}:2: json: nested deeper than 64 levels (OParl objects nest "
                                             "a few levels)"]


# ---- RDF -------------------------------------------------------------------------------------------
def _ttl(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "in.ttl"
    path.write_text("@prefix schema: <https://schema.org/> .\n@prefix cg: <https://copgraph.example.org/ns#> .\n"
                    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + body, encoding="utf-8")
    return path


def _node(label: str, segment: str, key: str, **values: str) -> str:
    """Turtle for one node in copgraph's own vocabulary (`graph_api.rdf.vocab`)."""
    props = " ; ".join(f"<{v.NODE_PROPS[label][prop].predicate}> {value}" for prop, value in values.items())
    return f"<{BASE}id/{segment}/{key}> a <{v.CLASS[label]}> ; {props} .\n"


def test_rdf_subject_outside_the_base_iri_is_refused(tmp_path: Path) -> None:
    path = _ttl(tmp_path, "<https://evil.example/id/solution/s1> a schema:SoftwareApplication ; schema:name \"S\" .\n")
    found = problems_of(rdf.read, path, base_iri=BASE)
    assert any("https://evil.example/id/solution/s1" in p and "not under the base IRI" in p for p in found), found


def test_rdf_blank_node_subject_is_refused_with_a_message(tmp_path: Path) -> None:
    path = _ttl(tmp_path, "[] a schema:SoftwareApplication ; schema:name \"S\" .\n")
    found = problems_of(rdf.read, path, base_iri=BASE)
    assert any("blank-node subjects are refused" in p for p in found), found


def test_rdf_javascript_url_is_refused(tmp_path: Path) -> None:
    url_type = v.NODE_PROPS["Solution"]["url"].datatype  # None: the vocabulary states URLs as IRIs
    url = "<javascript:alert(1)>" if url_type is None else f'"javascript:alert(1)"^^<{url_type}>'
    path = _ttl(tmp_path, _node("Solution", "solution", "s1", name='"S"', url=url))
    found = problems_of(rdf.read, path, base_iri=BASE)
    assert any("Solution:s1 url: " in p and "http:// or https://" in p for p in found), found


def test_rdf_actor_without_visibility_is_restricted() -> None:
    row = {"id": "Actor:a1", "name": "A"}
    assert check_node("Actor", row, new=False) == [] and row["visibility"] == "restricted"


@pytest.mark.parametrize(("value", "message"), [("-5", "is not a population"), ("100000000000000000000000", "64-bit")])
def test_rdf_population_out_of_range(tmp_path: Path, value: str, message: str) -> None:
    path = _ttl(tmp_path, _node("Municipality", "municipality", "13076060", name='"M"',
                                population=f'"{value}"^^xsd:integer'))
    try:
        found = problems_of(rdf.read, path, base_iri=BASE)
    except AssertionError:
        pytest.fail("accepted")
    assert any(message in p for p in found), found


@pytest.mark.parametrize("value", [float("inf"), float("nan"), -1.0])
def test_area_must_be_a_finite_non_negative_number(value: float) -> None:
    row = {"id": "Municipality:13076060", "name": "M", "area_ha": value}
    assert [prop for prop, _ in check_node("Municipality", row)] == ["area_ha"]


# ---- GV100AD ---------------------------------------------------------------------------------------
def _gv100ad_with(tmp_path: Path, change) -> Path:  # noqa: ANN001 - edits one municipality record
    lines = PILOT.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("60"))
    lines[index] = change(lines[index])
    path = tmp_path / "gv.ASC"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _put(line: str, start: int, end: int, text: str) -> str:
    return line[: start - 1] + text.ljust(end - start + 1)[: end - start + 1] + line[end:]


def test_gv100ad_population_beyond_any_territory_is_refused(tmp_path: Path) -> None:
    path = _gv100ad_with(tmp_path, lambda line: _put(line, 140, 150, "99999999999"))
    assert any(":Bevölkerung:" in p.replace(": ", ":", 1) or "Bevölkerung: 99999999999" in p
               for p in problems_of(gv100ad.read, path))


@pytest.mark.parametrize("bad", ["\t", "\x00"])
def test_gv100ad_control_characters_in_names_are_refused(tmp_path: Path, bad: str) -> None:
    path = _gv100ad_with(tmp_path, lambda line: _put(line, 23, 72, f"Hage{bad}now"))
    assert any("Name: " in p and "control character" in p for p in problems_of(gv100ad.read, path))


def test_gv100ad_unknown_association_is_refused(tmp_path: Path) -> None:
    path = _gv100ad_with(tmp_path, lambda line: _put(line, 19, 22, "9999"))
    assert any("Gemeindeverband: 9999" in p and "no Satzart-50 record" in p for p in problems_of(gv100ad.read, path))


# ---- mutations -------------------------------------------------------------------------------------
UPSERT = "mutation($input: SolutionInput!) { upsertSolution(input: $input) { id } }"


def test_mutation_refuses_a_javascript_url(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    errors = api.errors(UPSERT, {"input": {"id": "xss", "name": "X", "url": "javascript:alert(document.cookie)"}},
                        token=TOKEN)
    assert "input.url: 'javascript:alert(document.cookie)' is not an http:// or https:// URL" in errors[0]
    assert not fresh_pilot_store.read("MATCH (s:Solution {id: 'Solution:xss'}) RETURN s.id AS id")


def test_gv100ad_reload_replaces_a_stale_part_of(tmp_path: Path, empty_store: Store) -> None:
    """A municipality that moved to another Amt is PART_OF the new one only (and nothing else)."""
    lines = PILOT.read_text(encoding="utf-8").splitlines()
    index, line = next((i, x) for i, x in enumerate(lines) if x.startswith("60"))
    county, verband = line[10:15], line[18:22]
    other = next(x[18:22] for x in lines if x.startswith("50") and x[10:15] == county and x[18:22] != verband)
    moved = tmp_path / "moved.ASC"
    lines[index] = _put(line, 19, 22, other)
    moved.write_text("\n".join(lines) + "\n", encoding="utf-8")
    municipality = f"Municipality:{line[10:18]}"
    query = "MATCH (:Municipality {id: $id})-[:PART_OF]->(p) RETURN p.id AS id"
    load(empty_store, "gv100ad", [PILOT])
    assert [r["id"] for r in empty_store.read(query, {"id": municipality})] == [f"Association:{county}{verband}"]
    summary = load(empty_store, "gv100ad", [moved])
    assert [r["id"] for r in empty_store.read(query, {"id": municipality})] == [f"Association:{county}{other}"]
    assert summary.deleted["PART_OF"] == 1
    totals = ("MATCH (a:Association {id: $id}) OPTIONAL MATCH (a)<-[:PART_OF]-(m:Municipality) "
              "RETURN a.population AS total, sum(m.population) AS members")
    for association in (f"Association:{county}{verband}", f"Association:{county}{other}"):
        row = empty_store.read(totals, {"id": association})[0]
        assert row["total"] == row["members"], association  # the Amt it left is re-summed at once
    assert not load(empty_store, "gv100ad", [moved]).changed  # and the reload is idempotent again


def _oparl_organization(tmp_path: Path, name: str) -> Path:
    import json

    path = tmp_path / "org.json"
    path.write_text(json.dumps({"id": "https://web1.karlsruhe.de/oparl/organizations/att1",
                                "type": "https://schema.oparl.org/1.1/Organization",
                                "body": "https://web1.karlsruhe.de/oparl/bodies/0001", "name": name}, indent=1),
                    encoding="utf-8")
    return path


def test_oparl_megabyte_name_is_refused_without_a_megabyte_id_or_message(tmp_path: Path) -> None:
    path = _oparl_organization(tmp_path, "Ausschuss " + "x" * (1 << 20))
    found = problems_of(oparl.read, path)
    assert any(p.startswith(f"{path}:2: Organization -> Organization.name: is 1,048,586 characters long")
               for p in found), found
    assert not [p for p in found if ".id: " in p], found  # the key comes from the OParl id, not the name
    assert max(len(p) for p in found) < 500


def test_oparl_control_characters_in_a_name_are_refused(tmp_path: Path) -> None:
    path = _oparl_organization(tmp_path, "Haupt\u0000ausschuss")
    assert any("Organization.name: " in p and "control character" in p for p in problems_of(oparl.read, path))
