"""The RDF import is held to the same whole-graph rules as the curated loader and the mutations."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_api.ingest import load
from graph_api.rows import LoadError
from graph_api.store import Store

BASE = "https://copgraph.example.org/"
LEARNED_FROM = "http://www.w3.org/ns/prov#wasInformedBy"


def test_an_rdf_file_that_closes_a_lineage_cycle_is_refused_and_writes_nothing(fresh_pilot_store: Store,
                                                                                tmp_path: Path) -> None:
    teacher = f"<{BASE}id/adoption/hagenow-digitale-lokale-agenda>"
    learner = f"<{BASE}id/adoption/boizenburg-digitale-lokale-agenda>"  # already learns from Hagenow
    path = tmp_path / "cycle.nt"
    path.write_text(f"{teacher} <{LEARNED_FROM}> {learner} .\n", encoding="utf-8")
    before = fresh_pilot_store.read("MATCH (:Adoption)-[r:LEARNED_FROM]->(:Adoption) RETURN count(r) AS c")
    with pytest.raises(LoadError) as caught:
        load(fresh_pilot_store, "rdf", [path])
    assert "learnedFrom" in str(caught.value) and "forms a cycle" in str(caught.value)
    assert fresh_pilot_store.read("MATCH (:Adoption)-[r:LEARNED_FROM]->(:Adoption) RETURN count(r) AS c") == before
