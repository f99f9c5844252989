"""`copgraph export` writes the graph as RDF; `copgraph load rdf` reads it back into another store."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph_api.cli import main
from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.store import open_store


def test_export_then_load_rdf_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source_db, target_db = tmp_path / "source.lbdb", tmp_path / "target.lbdb"
    store = open_store(Settings(store="ladybug", db_path=str(source_db)))
    load_sample(store)
    counts = store.node_label_counts(), store.rel_type_counts()
    store.close()
    out = tmp_path / "graph.nq"
    assert main(["--store", "ladybug", "--db", str(source_db), "export", "--format", "nq", "-o", str(out)]) == 0
    assert "exported" in capsys.readouterr().err
    assert main(["--store", "ladybug", "--db", str(target_db), "load", "rdf", str(out)]) == 0
    target = open_store(Settings(store="ladybug", db_path=str(target_db)))
    try:
        assert (target.node_label_counts(), target.rel_type_counts()) == counts
    finally:
        target.close()
    assert main(["--store", "ladybug", "--db", str(source_db), "export", "--format", "ttl"]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) > 1000


def test_load_rdf_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://x.org/id/solution/a> <https://schema.org/name> .\n", encoding="utf-8")
    assert main(["--store", "ladybug", "--db", str(tmp_path / "db.lbdb"), "load", "rdf", str(bad)]) == 2
    assert f"{bad}:1: syntax:" in capsys.readouterr().err
