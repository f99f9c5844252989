"""`copgraph load publiccode`, the export and their round trip.

* every valid file of the reference test set imports, a second load changes nothing, its export
  validates, and importing the export changes nothing;
* every invalid file is refused with the validator's findings and writes nothing;
* `usedBy` names become adoptions of the official places GV100AD names (the oracle: keys read
  from the GV100AD extract with plain Python), ambiguous and unmatched names are reported;
* maintenance contacts (people) are never stored;
* a profiled sample solution exports and reads back to the same statements.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, SAMPLE_DIR, Settings
from graph_api.german import fold
from graph_api.ingest import load, load_sample
from graph_api.loaders.publiccode.export import ExportRefused, publiccode_yaml
from graph_api.loaders.publiccode.load import read
from graph_api.loaders.publiccode.validate import validate_file, validate_text
from graph_api.rows import GraphRows, LoadError
from graph_api.store import Store, open_store
from graph_api.store.canonical import canonical_dump
from graph_api.store.publiccode_reads import GraphReads
from tests.conftest import SHARED_DATA

TESTDATA = SHARED_DATA / "publiccode" / "parser-testdata" / "v0"
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "publiccode" / "buergerservice-bot"
BASE = Settings().base_iri
VALID = sorted([*TESTDATA.glob("valid/*.yml"), *TESTDATA.glob("valid/no-network/*.yml"),
                *TESTDATA.glob("valid_with_warnings/*.yml"), *TESTDATA.glob("valid_with_warnings/no-network/*.yml")])
INVALID = sorted([*TESTDATA.glob("invalid/*.yml"), *TESTDATA.glob("invalid/no-network/*.yml")])
INVALID_OFFLINE = [path for path in INVALID if not validate_file(path).valid]
needs_testdata = pytest.mark.skipif(not TESTDATA.is_dir(), reason=f"reference test set not found at {TESTDATA}")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The bundled sample on LadybugDB; the tests here add publiccode files to it."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path_factory.mktemp("pc") / "g.lbdb")))
    load_sample(store)
    yield store
    store.close()


def _unchanged(summary) -> bool:  # noqa: ANN001 - ApplySummary
    return not summary.changed


@needs_testdata
@pytest.mark.parametrize("path", VALID, ids=lambda p: str(p.relative_to(TESTDATA)))
def test_valid_file_imports_idempotently_and_round_trips(path: Path, store: Store, tmp_path: Path) -> None:
    first = load(store, "publiccode", [path])
    assert first.created.get("Source", 0) + first.unchanged.get("Source", 0) + first.updated.get("Source", 0) == 1
    assert _unchanged(load(store, "publiccode", [path]))  # idempotent
    solution_id = next(row["id"] for row in read(path, read_graph=store.read).nodes["Solution"])
    exported = publiccode_yaml(GraphReads(store.read), solution_id, BASE)
    assert validate_text(exported).valid
    target = tmp_path / "publiccode.yml"
    target.write_text(exported, encoding="utf-8")
    before = canonical_dump(store)
    again = load(store, "publiccode", [target])
    assert _unchanged(again), again.table()
    assert canonical_dump(store) == before


@needs_testdata
def test_every_invalid_file_is_refused_with_its_findings_and_writes_nothing(store: Store) -> None:
    assert len(INVALID_OFFLINE) >= 120  # the files whose errors need no network
    before = canonical_dump(store)
    for path in INVALID_OFFLINE:
        with pytest.raises(LoadError) as caught:
            load(store, "publiccode", [path])
        expected = [(e.line or None, e.key or "(file)") for e in validate_file(path).errors]
        assert [(p.line, p.field) for p in caught.value.problems] == expected
        assert all(p.file == str(path) for p in caught.value.problems)
    assert canonical_dump(store) == before


@needs_testdata
def test_one_invalid_file_among_valid_ones_refuses_the_whole_load(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    for name, source in (("a", FIXTURE / "publiccode.yml"), ("b", TESTDATA / "invalid" / "name_missing.yml")):
        (folder / name).mkdir(parents=True)
        (folder / name / "publiccode.yml").write_bytes(source.read_bytes())
    before = canonical_dump(store)
    with pytest.raises(LoadError) as caught:
        load(store, "publiccode", [folder])
    assert [p.field for p in caught.value.problems] == ["name"]
    assert canonical_dump(store) == before


# ---------------------------------------------------------------------------------------------
# usedBy -> adoptions of official places

def _gv100ad_keys(names: dict[str, str]) -> dict[str, str]:
    """Oracle: the AGS of each official municipality name, read from the GV100AD extract directly."""
    out = {}
    for line in (SAMPLE_DIR / "gv100ad_pilot.ASC").read_text(encoding="utf-8").splitlines():
        if line[:2] == "60":
            official = line[22:72].strip()
            for text, want in names.items():
                if fold(official) == fold(want):
                    out[text] = line[10:18]  # AGS: columns 11-18 (shared/data/gv100ad/LAYOUT.md)
    return out


def test_used_by_names_become_adoptions_of_official_places(store: Store) -> None:
    summary = load(store, "publiccode", [FIXTURE])
    adopters = {row["name"] for row in GraphReads(store.read).adoptions("Solution:buergerservice-bot")}
    keys = _gv100ad_keys({"Stadt Mölln": "Mölln, Stadt", "Hagenow": "Hagenow, Stadt",
                          "Gemeinde Aumuehle": "Aumühle"})
    assert len(keys) == 3
    linked = {row["adopter"] for row in GraphReads(store.read).adoptions("Solution:buergerservice-bot")}
    assert {f"Municipality:{ags}" for ags in keys.values()} <= linked
    assert "Organization:kreisverwaltung-ludwigslust-parchim" in linked
    assert any(a.startswith("Association:") for a in linked)  # "Amt Büchen": the Amt, not its administration
    assert {"Mölln, Stadt", "Aumühle", "Hagenow, Stadt"} <= adopters
    notes = "\n".join(summary.notes)
    assert "usedBy[5]: 'Wentorf' matches no territory" in notes and "Wentorf bei Hamburg" in notes
    assert "usedBy[6]: 'Comune di Firenze' matches no territory" in notes
    assert f"{FIXTURE / 'publiccode.yml'}:18:" in notes  # located


def test_an_ambiguous_name_is_reported_with_its_candidates_and_not_linked(tmp_path: Path, store: Store) -> None:
    text = (FIXTURE / "publiccode.yml").read_text(encoding="utf-8")
    text = text.replace("  - Wentorf\n", "  - Büchen\n").replace("buergerservice-bot.git", "other.git") \
        .replace("name: Bürgerservice-Bot", "name: Ambiguity Test Bot")
    (tmp_path / "publiccode.yml").write_text(text, encoding="utf-8")
    rows = read(tmp_path / "publiccode.yml", read_graph=store.read)
    note = next(n for n in rows.notes if "usedBy[5]" in n)
    assert "is ambiguous" in note and "Municipality:01053020" in note and "Association:010535318" in note
    assert "Municipality:01053020" not in {row["to"] for row in rows.rels[("BY", "Adoption", "Municipality")]}


def test_contact_people_are_never_stored(store: Store) -> None:
    load(store, "publiccode", [FIXTURE])
    dump = canonical_dump(store)
    assert "Erika" not in dump and "mustermann" not in dump.lower()


def test_an_existing_adoption_is_reused_not_duplicated(store: Store, tmp_path: Path) -> None:
    """The sample's Mölln chatbot adoption: a file naming Mölln for that solution adds no second one."""
    text = (FIXTURE / "publiccode.yml").read_text(encoding="utf-8").replace("name: Bürgerservice-Bot",
                                                                            "name: Chatbot für den Bürgerservice")
    text = text.replace("buergerservice-bot.git", "chatbot.git")
    rows = read(_write(tmp_path, text), read_graph=store.read)
    solution_id = rows.nodes["Solution"][0]["id"]
    assert solution_id == "Solution:chatbot-fur-den-burgerservice" or solution_id.startswith("Solution:")
    assert all(row["id"] != "Adoption:moelln-chatbot" for row in rows.nodes.get("Adoption", []))


def _write(folder: Path, text: str) -> Path:
    path = folder / "publiccode.yml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# export of a profiled sample solution

def _profile(store: Store) -> None:
    """Give the sample's chatbot the profile fields publiccode.yml needs (illustrative values)."""
    rows = GraphRows()
    rows.add_node("Solution", {"id": "Solution:chatbot-buergerservice", "development_status": "BETA",
                               "software_type": "standalone/web", "licence": "EUPL-1.2",
                               "repository_url": "https://example.org/illustrative/chatbot",
                               "maintenance_type": "CONTRACT", "maintained_until": "2027-06-30"})
    rows.add_rel("MAINTAINED_BY", "Solution:chatbot-buergerservice", "Organization:kreisverwaltung-ludwigslust-parchim",
                 until="2027-06-30", source="Source:illustrative-pilot-sample")
    store.apply(rows)


def _statements(store: Store, solution_id: str) -> tuple:
    reads = GraphReads(store.read)
    return (reads.solution(solution_id), sorted(map(str, reads.maintainers(solution_id))),
            sorted(map(str, reads.funders(solution_id))), sorted(map(str, reads.derived_from(solution_id))),
            sorted(map(str, reads.adoptions(solution_id))))


def test_a_profiled_sample_solution_round_trips(tmp_path: Path) -> None:
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path / "g.lbdb")))
    try:
        load_sample(store)
        _profile(store)
        solution = "Solution:chatbot-buergerservice"
        text = publiccode_yaml(GraphReads(store.read), solution, BASE)
        exported = yaml.safe_load(text)
        assert exported["usedBy"]  # the sample's pilot and adoptions in use
        before = _statements(store, solution)
        summary = load(store, "publiccode", [_write(tmp_path, text)])
        assert _statements(store, solution) == before
        # only provenance is added: the file as a Source of what it states
        assert {kind for kind, count in summary.created.items() if count} <= {"Source", "SOURCED_FROM"}
        assert not any(summary.updated.values()) and not any(summary.deleted.values())
        assert not [n for n in summary.notes if "usedBy" in n]
        assert not load(store, "publiccode", [tmp_path / "publiccode.yml"]).changed
    finally:
        store.close()


def test_a_solution_without_a_software_profile_is_refused_with_what_is_missing(store: Store) -> None:
    with pytest.raises(ExportRefused) as caught:
        publiccode_yaml(GraphReads(store.read), "Solution:willkommensmappe", BASE)
    assert any("repository_url" in gap for gap in caught.value.missing)


def test_http_serves_the_export_and_refuses_clearly(store: Store) -> None:
    load(store, "publiccode", [FIXTURE])
    client = TestClient(create_app(Settings(base_iri=BASE), store=store))
    ok = client.get("/solutions/buergerservice-bot/publiccode.yml")
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("application/yaml")
    assert validate_text(ok.text).valid
    assert client.get("/solutions/no-such-solution/publiccode.yml").status_code == 404
    refused = client.get("/solutions/willkommensmappe/publiccode.yml")
    assert refused.status_code == 422 and "repository_url is not set" in refused.text
    assert client.get("/solutions/..%2F..%2Fetc/publiccode.yml").status_code == 404


def test_cli_writes_and_loads_publiccode(tmp_path: Path) -> None:
    db = tmp_path / "cli.lbdb"
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "graph_api.cli", "--db", str(db), *args], capture_output=True,
                              text=True, cwd=PROJECT_ROOT, timeout=300)
    assert cli("load", "gv100ad", str(SAMPLE_DIR / "gv100ad_pilot.ASC")).returncode == 0
    loaded = cli("load", "publiccode", str(FIXTURE))
    assert loaded.returncode == 0, loaded.stderr
    assert "note:" in loaded.stderr and "Comune di Firenze" in loaded.stderr
    out = tmp_path / "export" / "publiccode.yml"
    written = cli("publiccode", "buergerservice-bot", "-o", str(out))
    assert written.returncode == 0, written.stderr
    assert validate_file(out).valid
    missing = cli("publiccode", "no-such-thing")
    assert missing.returncode == 2 and "no solution" in missing.stderr


def test_hostile_names_are_refused_or_reported_without_being_echoed(store: Store, tmp_path: Path) -> None:
    text = (FIXTURE / "publiccode.yml").read_text(encoding="utf-8")
    huge = text.replace("  - Wentorf\n", "  - " + "Wentorf" * 100_000 + "\n")
    rows = read(_write(tmp_path, huge), read_graph=store.read)
    assert all(len(note) < 1_000 for note in rows.notes)
    control = text.replace("- name: Modellprojekte Smart Cities", '- name: "Foerder\\u0000programm"') \
        .replace("smart-city-dialog.de/modellprojekte", "example.org/hostile-funder")
    with pytest.raises(LoadError) as caught:
        read(_write(tmp_path, control), read_graph=store.read)
    assert caught.value.problems[0].field == "Organization.name"


@needs_testdata
def test_deprecations_are_passed_on_as_notes() -> None:
    rows = read(TESTDATA / "valid_with_warnings" / "valid_with_legal_repoOwner.yml")
    assert any(":70: legal.repoOwner: This key is DEPRECATED" in note for note in rows.notes)
