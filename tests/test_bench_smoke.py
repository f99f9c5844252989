"""Smoke run of the benchmark suite at tiny scale: it runs end to end and writes well-formed results.

Timing is never asserted (the targets are recorded in RESULTS.md, not tested); what is checked is
that every part produced numbers, that the loader is deterministic, and that the files parse.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.synthetic import read, sizes_for
from tests.conftest import FULL_GV100AD

pytestmark = pytest.mark.skipif(not FULL_GV100AD.is_file(), reason="needs the shared GV100AD file")


def test_synthetic_generator_is_deterministic_and_nameless() -> None:
    a, b = read(FULL_GV100AD, scale="tiny", seed=3), read(FULL_GV100AD, scale="tiny", seed=3)
    assert a.counts() == b.counts()
    assert a.rels[("KNOWS", "Actor", "Actor")] == b.rels[("KNOWS", "Actor", "Actor")]
    assert read(FULL_GV100AD, scale="tiny", seed=4).rels[("KNOWS", "Actor", "Actor")] != \
        a.rels[("KNOWS", "Actor", "Actor")]
    a.check_properties()
    municipalities = {m["id"] for m in a.nodes["Municipality"]}
    assert municipalities and all(m.startswith("Municipality:13076") for m in municipalities)
    sizes = sizes_for(len(municipalities))
    assert a.counts()["KNOWS"] >= sizes.knows and a.counts()["Adoption"] == sizes.adoptions
    for actor in a.nodes["Actor"]:  # role labels, never personal names
        assert actor["name"].startswith(actor["role_label"]) and ", " in actor["name"]
        assert "email" not in actor and "phone" not in actor
    staff = {}
    for row in a.rels[("WORKS_FOR", "Actor", "Organization")]:
        staff.setdefault(row["to"], []).append(row["from"])
    administrations = [o for o in staff if o.startswith("Organization:synth-gemeinde-")]
    assert administrations and all(5 <= len(staff[o]) <= 40 for o in administrations)
    # learned-from chains stay mostly within the county (the tiny scale is one county: all of them)
    assert a.counts()["LEARNED_FROM"] > a.counts()["Adoption"] / 2


def test_bench_tiny_writes_well_formed_results(tmp_path: Path) -> None:
    code = main(["--scales", "tiny", "--iterations", "3", "--budget", "0.1", "--rdf-sample", "2000",
                 "--backends", "ladybug", "--gv100ad", str(FULL_GV100AD), "--out", str(tmp_path),
                 "--work-dir", str(tmp_path)])
    assert code == 0
    run = json.loads((tmp_path / "results" / "tiny-ladybug.json").read_text(encoding="utf-8"))
    summary = json.loads((tmp_path / "results" / "summary.json").read_text(encoding="utf-8"))
    for phase in ("territory", "entities", "edges"):
        assert run["load"][phase]["rows"] > 0 and run["load"][phase]["rows_per_s"] > 0
        assert run["load"][phase]["peak_mib"] > 0
    assert run["counts"]["Municipality"] == 142
    assert len(run["graphql"]) == 7
    for name, case in run["graphql"].items():
        assert "error" not in case, (name, case)
        for side in ("graphql", "raw"):
            stats = case[side]
            assert stats["n"] >= 3 and 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"]
        assert case["overhead_p50"] > 0 and case["result_values"] > 0
    assert run["graphql"]["contact_paths_maxhops4"]["raw_rows"] > 0  # the sample actors are connected
    named = run["named_queries"]
    if named["available"]:
        assert named["queries"] and all("p50_ms" in q or "error" in q or "skipped" in q
                                        for q in named["queries"].values())
    if run["rdf"]["available"]:
        assert run["rdf"]["streamed"]["nt"]["triples"] > 0
    assert {t["target"] for t in summary["targets"]} >= {"graphql_overhead", "generated_rows_per_s"}
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "## Targets" in text and "| municipality_by_key |" in text and "## Cost growth" in text
