"""The N-Triples fast path (`graph_api/rdf/ntriples.py`) writes the same graph as the block path.

Oracles: the block path (`write_nt(graph_blocks(...))`, which builds every triple on its own) as a
multiset of lines; two independent parsers (rdflib and pyoxigraph) reading the same set of triples;
rapper and serdi accepting the text; and the stored values themselves, which must come back from the
parsed text character for character. The personal-data rule is checked against the rows loaded.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from bench import synthetic
from graph_api.config import SAMPLE_DIR, Settings
from graph_api.rdf import ntriples
from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import graph_blocks
from graph_api.rdf.export import export
from graph_api.rdf.ntriples import export_nt
from graph_api.rdf.writers import write_nt
from graph_api.rows import GraphRows
from graph_api.store import Store, StoreUnavailable, open_store
from graph_api.store.ladybug_store import LadybugStore
from graph_api.store.reads import StoreReads

BASE = "https://copgraph.example.org/"
# what N-Triples must escape in a literal, what it must escape in an IRI, and what it must leave alone
HOSTILE_TEXTS = ['say "hi"', "back\\slash", "cr\rlf\nend", "tab\there", "bell\x07 nul-ish\x01 us\x1f del\x7f",
                 "bs\b ff\f", "non-BMP 😀 𝄞", "line sep \u2028 para \u2029", "ümlaut ß ﬁ", " ", "'single'",
                 "ends with backslash\\", '\\"', "<b>not markup</b>", "{}|^`"]
HOSTILE_KEYS = ["with space", "angle<>", "brace{}", "pipe|caret^", "back`tick", 'quote"', "back\\slash",
                "😀-non-bmp", "tab\tkey", "pct%20", "hash#frag"]


def _lines(chunks: Iterable[str]) -> Counter[str]:
    """The lines of N-Triples text, cut at LF only (str.splitlines would also cut at U+2028, which a
    literal may hold unescaped)."""
    text = "".join(chunks)
    assert text.endswith("\n")
    return Counter(line + "\n" for line in text[:-1].split("\n"))


def _block_path(store: Store) -> Counter[str]:
    return _lines(write_nt(graph_blocks(store, BASE)))


def _assert_same_graph(store: Store, page_size: int = 20_000) -> Counter[str]:
    fast = _lines(export_nt(store, BASE, page_size))
    blocks = _block_path(store)
    assert fast == blocks, (sorted((fast - blocks).elements())[:5], sorted((blocks - fast).elements())[:5])
    return fast


def test_pilot_graph_is_the_same_through_both_paths_and_both_readers(pilot_store: Store,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _assert_same_graph(pilot_store)
    assert len(lines) > 1_000 and max(lines.values()) == 1  # N-Triples of a graph: no line twice
    monkeypatch.setattr(ntriples, "SLICE_ROWS", 2)
    _assert_same_graph(pilot_store, page_size=3)  # page and slice boundaries everywhere
    monkeypatch.undo()
    assert _lines(export(pilot_store, BASE, "nt")) == lines  # what `copgraph export` and /export write
    # the plain reader (built on export_pages, what Neo4j uses) gives the same text
    monkeypatch.setattr(LadybugStore, "export_columns", StoreReads.export_columns)
    assert _lines(export_nt(pilot_store, BASE, 7)) == lines


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A generated county: synthetic people (with KNOWS and memberships), solutions and adoptions."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path_factory.mktemp("nt") / "g.lbdb")))
    store.apply(synthetic.read(SAMPLE_DIR / "gv100ad_pilot.ASC", scope="01053", seed=7, knows=400,
                               adoptions=300, solutions=30))
    yield store
    store.close()


def test_generated_graph_is_the_same_through_both_paths(generated_store: Store) -> None:
    lines = _assert_same_graph(generated_store, page_size=50)
    predicates = Counter(line.split(" ", 2)[1] for line in lines)
    for used in (v.REL_PREDICATE["KNOWS"], v.ORG_MEMBER_DURING, v.RDF_STATEMENT, v.TIME_IN_XSD_DATE):
        assert predicates[f"<{used}>"] or any(used in line for line in lines), used


def _hostile_rows() -> GraphRows:
    rows = GraphRows()
    rows.add_node("Source", {"id": "Source:src", "title": "Quelle", "illustrative": True})
    rows.add_node("Organization", {"id": "Organization:org", "name": "Amt", "kind": "ADMINISTRATION"})
    rows.add_node("Organization", {"id": "Organization:unit", "name": "Referat", "kind": "DEPARTMENT"})
    rows.add_rel("SUB_ORGANIZATION_OF", "Organization:unit", "Organization:org", source="Source:src")
    for n, text in enumerate(HOSTILE_TEXTS):
        rows.add_node("Concept", {"id": f"Concept:text-{n}", "label": text, "scheme": "hostile",
                                  "definition": text})
    for n, key in enumerate(HOSTILE_KEYS):
        rows.add_node("Concept", {"id": f"Concept:{key}", "label": f"key {n}", "scheme": "hostile"})
        rows.add_rel("BROADER", f"Concept:{key}", "Concept:text-0", source="Source:src")
    visibilities = {"pub": "public", "res": "restricted", "upper": "PUBLIC", "none": None, "empty": ""}
    for key, visibility in visibilities.items():
        rows.add_node("Actor", {"id": f"Actor:{key}", "name": f"Secret Name {key}", "role_label": f"Rolle {key}",
                                "visibility": visibility, "email": f"{key}@mail.invalid", "phone": f"+49 {key}",
                                "description": f"Secret description {key}"})
        rows.add_rel("WORKS_FOR", f"Actor:{key}", "Organization:org", title=f"Secret title {key}",
                     since="2020-01-01", until="" if key == "empty" else None)
        rows.add_rel("KNOWS", f"Actor:{key}", "Actor:res" if key == "pub" else "Actor:pub",
                     context=f"Secret context {key}", since="2021-02-03")
    rows.add_rel("KNOWS", "Actor:res", "Actor:upper", context="Secret other context", since='2021"\n')
    rows.add_rel("WORKS_FOR", "Actor:pub", "Organization:unit", title='Leitung "Digital"\\n', since="2019-05-01",
                 until="2024-12-31")
    return rows


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path_factory.mktemp("nt") / "h.lbdb")))
    store.apply(_hostile_rows())
    yield store
    store.close()


def test_hostile_literals_and_ids_are_escaped_as_n_triples_requires(hostile_store: Store, tmp_path: Path) -> None:
    lines = _assert_same_graph(hostile_store, page_size=4)
    text = "".join(sorted(lines.elements()))
    assert all(line.endswith(" .\n") and "\r" not in line for line in lines)
    parsed_rdflib = set(rdflib.Graph().parse(data=text, format="nt"))
    parsed_oxigraph = {(str(t.subject.value), str(t.predicate.value), t.object.value) for t in
                       ox.parse(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)}
    assert len(parsed_rdflib) == len(parsed_oxigraph) == len(lines)
    assert {(str(s), str(p), str(o)) for s, p, o in parsed_rdflib} == parsed_oxigraph
    # the stored values come back character for character (the oracle is the input, not the program)
    concept = f"{BASE}id/concept/"
    labels = {str(s): str(o) for s, p, o in parsed_rdflib if str(p) == v.RDFS_LABEL and str(s).startswith(concept)}
    for n, value in enumerate(HOSTILE_TEXTS):
        assert labels[f"{concept}text-{n}"] == value
    by_id = {v.id_of_iri(iri): label for iri, label in labels.items()}
    for n, key in enumerate(HOSTILE_KEYS):
        assert by_id[f"Concept:{key}"] == f"key {n}"
    broader = {v.id_of_iri(str(s)) for s, p, _ in parsed_rdflib if str(p) == v.REL_PREDICATE["BROADER"]}
    assert broader == {f"Concept:{key}" for key in HOSTILE_KEYS}  # each IRI names its node's id exactly
    # two more parsers, as a consumer of the dump would run them
    path = tmp_path / "hostile.nt"
    path.write_text(text, encoding="utf-8")
    for command in (["rapper", "-q", "-i", "ntriples", "-c", str(path)], ["serdi", "-i", "ntriples", str(path)]):
        if shutil.which(command[0]) is None:
            pytest.fail(f"{command[0]} is installed on every machine of this project")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (command[0], done.stderr[-2000:])


def test_restricted_people_are_not_exported(hostile_store: Store) -> None:
    text = "".join(export(hostile_store, BASE, "nt"))
    for key in ("res", "upper", "none", "empty"):  # all but exactly "public" count as restricted
        for secret in (f"Secret Name {key}", f"Secret description {key}", f"Secret title {key}",
                       f"{key}@mail.invalid", f"+49 {key}", f"Secret context {key}"):
            assert secret not in text
        assert f'"Rolle {key}"' in text  # what anyone may see of them
    assert "Secret other context" not in text and "Secret context pub" not in text  # KNOWS context: token only
    assert "pub@mail.invalid" not in text and "+49 pub" not in text  # contact data of nobody
    assert '"Secret Name pub"' in text and "Secret title pub" in text and "Secret description pub" in text
    # the membership of the public actor in a unit keeps title, period and org:unitOf
    assert f"<{v.ORG_UNIT_OF}>" in text and v.role_iri(BASE, 'Leitung "Digital"\\n').replace('"', "%22") in text


def test_a_store_closed_during_the_export_is_an_error_not_a_short_file(tmp_path: Path) -> None:
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path / "closing.lbdb")))
    rows = GraphRows()
    for n in range(40):
        rows.add_node("Concept", {"id": f"Concept:c{n:02d}", "label": f"c{n}", "scheme": "s"})
    store.apply(rows)
    chunks = export_nt(store, BASE, page_size=5)
    next(chunks)
    store.close()
    with pytest.raises(StoreUnavailable):
        list(chunks)
