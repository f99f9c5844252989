"""The full-Germany territorial export (GV100AD, all ~11,000 municipalities) conforms to the SHACL
shapes: streamed as N-Triples, parsed by rdflib, validated by pyshacl with zero violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph_api.config import Settings
from graph_api.loaders.gv100ad import read
from graph_api.model import TERRITORY_LABELS
from graph_api.rdf import vocab
from graph_api.rdf.blocks import graph_blocks
from graph_api.rdf.generate import SHAPES_FILE
from graph_api.rdf.writers import write_nt
from graph_api.store import open_store
from tests.conftest import FULL_GV100AD

pytestmark = pytest.mark.skipif(not FULL_GV100AD.exists(), reason=f"{FULL_GV100AD.name} not available")


def test_full_germany_export_conforms_to_the_shapes(tmp_path: Path) -> None:
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path / "de.lbdb")))
    try:
        store.apply(read(FULL_GV100AD))
        counts = store.node_label_counts()
        path = tmp_path / "de.nt"
        with path.open("w", encoding="utf-8") as handle:
            for chunk in write_nt(graph_blocks(store, "https://copgraph.example.org/", page_size=2_000)):
                handle.write(chunk)
    finally:
        store.close()
    graph = Graph().parse(path, format="nt")
    for label in TERRITORY_LABELS:
        assert len(set(graph.subjects(RDF.type, URIRef(vocab.CLASS[label])))) == counts[label]
    assert counts["Municipality"] > 10_000
    conforms, _, text = validate(graph, shacl_graph=Graph().parse(SHAPES_FILE), inference="none")
    assert conforms, text[:4000]
