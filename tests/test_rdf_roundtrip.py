"""RDF import: an export read back with `graph_api.loaders.rdf.read` and applied to an empty store gives the
same graph (counts, node properties, relationship properties incl. sources), in every format;
bad input fails with `file:line: field: message` and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_api import policy
from graph_api.config import Settings
from graph_api.loaders import get_loader
from graph_api.loaders.rdf import read
from graph_api.model import NODE_PROPERTIES, REL_TYPES, label_of
from graph_api.rdf.export import export
from graph_api.rdf.writers import EXTENSIONS
from graph_api.rows import LoadError
from graph_api.store import Store, open_store

BASE = "https://copgraph.example.org/"


def _nodes(store: Store) -> dict[str, dict]:
    """Every node as the export publishes it (personal data: the anonymous view, tested in tests/attacks)."""
    out = {}
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(["n.id AS id", *(f"n.{p} AS {p}" for p in props)])
        for row in store.read(f"MATCH (n:{label}) RETURN {columns}"):
            if label == "Actor":
                row = policy.actor_view(row, policy.ANONYMOUS)
            elif label == "ContactPoint":  # a restricted channel's address is for token holders only
                row = policy.contact_point_view(row, policy.ANONYMOUS)
            out[row["id"]] = {k: v for k, v in row.items() if v is not None}
    return out


def _rels(store: Store) -> set[tuple]:
    actors = {k: v for k, v in _nodes(store).items() if label_of(k) == "Actor"}
    out = set()
    for name, rel in REL_TYPES.items():
        columns = ", ".join(["a.id AS f", "b.id AS t", *(f"r.{p} AS {p}" for p in rel.properties)])
        for row in store.read(f"MATCH (a)-[r:{name}]->(b) RETURN {columns}"):
            ends = [actors.get(row[end]) for end in ("f", "t") if label_of(row[end]) == "Actor"]
            row = policy.rel_view(name, row, ends, policy.ANONYMOUS)
            out.add((name, *sorted((k, v) for k, v in row.items() if v is not None)))
    return out


def _without_lone_sources(rels: set[tuple]) -> set[tuple]:
    """What a triple format keeps: a relationship whose only property is its source says it in a named
    graph (N-Quads, TriG), not by reification, so Turtle, N-Triples and JSON-LD drop that source."""
    out = set()
    for rel in rels:
        props = dict(rel[1:])
        if set(props) == {"f", "t", "source"} and rel[0] != "SOURCED_FROM":
            rel = tuple(x for x in rel if x[0] != "source")
        out.add(rel)
    return out


@pytest.mark.parametrize("fmt", ["nq", "ttl", "nt", "trig", "jsonld"])
def test_export_import_round_trip(fmt: str, fresh_pilot_store: Store, tmp_path: Path) -> None:
    path = tmp_path / f"export{EXTENSIONS[fmt]}"
    path.write_text("".join(export(fresh_pilot_store, BASE, fmt)), encoding="utf-8")
    target = open_store(Settings(store="ladybug", db_path=str(tmp_path / "target.lbdb")))
    try:
        target.apply(read(path))
        assert target.node_label_counts() == fresh_pilot_store.node_label_counts()
        assert target.rel_type_counts() == fresh_pilot_store.rel_type_counts()
        assert _nodes(target) == _nodes(fresh_pilot_store)
        expected = _rels(fresh_pilot_store)
        assert _rels(target) == (expected if fmt in ("nq", "trig") else _without_lone_sources(expected))
        again = target.apply(read(path))  # idempotent
        assert not again.changed
    finally:
        target.close()


def test_loader_is_registered() -> None:
    assert get_loader("rdf") is read


@pytest.mark.parametrize("name,text,line,field", [
    ("bad.ttl", "@prefix s: <https://schema.org/> .\n<https://x.org/id/solution/a> s:name \"x\" ;\n s:name .\n",
     3, "syntax"),
    ("bad.nt", "<https://x.org/id/solution/a> <https://schema.org/name> \"x\" .\n\n<broken\n", 3, "syntax"),
    ("bad.nq", "# comment\n<https://x.org/id/solution/a> <https://schema.org/name> \"x\" <https://x.org/g> .\n"
               "<https://x.org/id/solution/a> <https://schema.org/name> \"unterminated .\n", 3, "syntax"),
    ("bad.jsonld", '{"@context": {},\n "@graph": [\n}', 3, "syntax"),
])
def test_syntax_errors_name_file_line_and_field(tmp_path: Path, name: str, text: str, line: int | None,
                                                field: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.field == field
    if line is not None:
        assert problem.line == line
    assert str(problem).startswith(f"{path}:")


def _nt(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "data.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ASSET = "<http://www.w3.org/ns/adms#Asset>"
SOL = "<https://x.org/id/solution/a>"


def test_semantic_errors_are_all_reported(tmp_path: Path, empty_store: Store) -> None:
    path = _nt(tmp_path, [
        f"{SOL} {TYPE} {ASSET} .",
        f'{SOL} <https://schema.org/nmae> "typo" .',
        f'<https://x.org/id/municipality/13076108> {TYPE} <https://copgraph.example.org/ontology#Municipality> .',
        '<https://x.org/id/municipality/13076108> <https://copgraph.example.org/ontology#population> "many"^^'
        '<http://www.w3.org/2001/XMLSchema#integer> .',
        f'<https://x.org/id/solution/b> {TYPE} <http://xmlns.com/foaf/0.1/Person> .',
        f'{SOL} <http://www.w3.org/ns/prov#used> <https://x.org/id/solution/b> .',
    ])
    with pytest.raises(LoadError) as caught:
        read(path, base_iri="https://x.org/")
    text = str(caught.value)
    assert "schema:nmae" in text and "not a property of Solution" in text
    assert "cg:population" in text and "not a valid xsd:integer" in text
    assert "Solution:b rdf:type" in text and "expected class adms:Asset" in text
    assert "prov:used" in text
    assert all(p.file == str(path) for p in caught.value.problems)
    assert empty_store.node_label_counts()["Solution"] == 0


def test_unknown_extension_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "graph.rdf"
    path.write_text("<rdf:RDF/>", encoding="utf-8")
    with pytest.raises(LoadError, match="unknown RDF file extension"):
        read(path)


@pytest.mark.parametrize(("visibility", "refused"), [("restricted", False), ("public", True), ("Restricted", False)])
def test_only_a_restricted_channel_may_come_without_its_address(tmp_path: Path, visibility: str,
                                                                 refused: bool) -> None:
    """An export withholds a restricted channel's address, so its file must load; a public one needs it."""
    channel = "<https://x.org/id/contactpoint/kanal>"
    path = _nt(tmp_path, [f"{channel} {TYPE} <https://schema.org/ContactPoint> .",
                          f'{channel} <https://copgraph.example.org/ontology#channelKind> "EMAIL" .',
                          f'{channel} <https://copgraph.example.org/ontology#visibility> "{visibility}" .'])
    if refused:
        with pytest.raises(LoadError, match="value"):
            read(path, base_iri="https://x.org/")
    else:
        (row,) = read(path, base_iri="https://x.org/").nodes["ContactPoint"]
        assert "value" not in row
