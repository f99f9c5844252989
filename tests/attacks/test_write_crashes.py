"""Every write path, killed at every step of the write protocol, opens in the old or the new state.

Paths: `load curated`, `load oparl`, `load rdf`, `load publiccode` and the `upsertSolution` mutation. Each write runs
in a child process (`tests/attacks/write_fault.py`) that SIGKILLs itself at a named moment; the
database is then opened as the next process would open it and compared as a whole
(`canonical_dump`) with the state before and after an uninterrupted write. A torn log is also
made directly, at several lengths, from a log the engine wrote completely, because a timed kill
only sometimes lands while the engine writes it (measured: 4 of 7 kills of a curated load).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph_api.config import PROJECT_ROOT, SAMPLE_DIR, Settings
from graph_api.ingest import load, load_sample
from graph_api.rdf.export import export
from graph_api.store import open_store
from graph_api.store.canonical import canonical_dump
from graph_api.store.ladybug_snapshot import StoreCorrupt
from graph_api.store.ladybug_store import LadybugStore

PILOT_GV100AD = SAMPLE_DIR / "gv100ad_pilot.ASC"
PUBLICCODE_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "publiccode" / "buergerservice-bot"
SOLUTION = {"id": "crash-test-loesung", "name": "Crash-Test-Lösung", "summary": "written while killed",
            "url": "https://example.org/crash", "categories": ["Concept:topic-digitalisierung"],
            "sources": ["Source:illustrative-pilot-sample"]}
_AUDIT_TIME = re.compile(r', "updated_at": "[^"]*"')


def child(db: Path, moment: str, kind: str, *args: str, log_bytes: int = 1, reserve_mb: int = 0,
          **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run one write in a child process; `reserve_mb` 0 (the default here) lets the write reach the engine
    however full the disk is, so the tests see what the engine does then (COPGRAPH_WRITE_RESERVE_MB)."""
    return subprocess.run([sys.executable, "-m", "tests.attacks.write_fault", str(db), moment, kind, *args],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300,
                          env={**os.environ, "LOG_BYTES": str(log_bytes), "COPGRAPH_WRITE_RESERVE_MB": str(reserve_mb)},
                          **kwargs)


def dump_of(db: Path) -> str:
    """The whole graph as the next process sees it (audit times left out: a mutation stamps them)."""
    store = LadybugStore(db)
    try:
        return _AUDIT_TIME.sub("", canonical_dump(store))
    finally:
        store.close()


def copy_db(source: Path, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    for file in source.parent.glob(f"{source.name}*"):
        shutil.copy(file, target_dir / file.name)
    return target_dir / source.name


@dataclass
class Path_:
    """One write path: its base database, the child's arguments and the states before and after."""

    name: str
    base: Path
    args: tuple[str, ...]
    before: str
    after: str
    log_size: int  # bytes of log the engine writes for this write (from a run killed after COMMIT)


def _prepare(name: str, root: Path) -> Path_:
    base = root / "base" / "g.lbdb"
    base.parent.mkdir(parents=True)
    store = open_store(Settings(store="ladybug", db_path=str(base)))
    load(store, "gv100ad", [PILOT_GV100AD])
    if name in ("oparl", "mutation", "publiccode"):
        load(store, "curated", [SAMPLE_DIR / "curated"])
    store.close()
    if name == "rdf":
        (root / "source").mkdir()
        source = open_store(Settings(store="ladybug", db_path=str(root / "source" / "s.lbdb")))
        load_sample(source)
        rdf = root / "graph.nq"
        rdf.write_text("".join(export(source, Settings().base_iri, "nq")), encoding="utf-8")
        source.close()
        args: tuple[str, ...] = ("rdf", str(rdf))
    elif name == "mutation":
        args = ("mutation", json.dumps(SOLUTION))
    elif name == "publiccode":
        args = ("publiccode", str(PUBLICCODE_FIXTURE))
    else:
        args = (name, str(SAMPLE_DIR / name))
    before = dump_of(base)
    reference = copy_db(base, root / "reference")
    result = child(reference, "none", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    after = dump_of(reference)
    assert after != before
    committed = copy_db(base, root / "committed")
    assert child(committed, "committed", *args).returncode == -9
    return Path_(name, base, args, before, after, Path(f"{committed}.wal").stat().st_size)


PATHS = ("curated", "oparl", "rdf", "publiccode", "mutation")


@pytest.fixture(scope="module", params=PATHS)
def write_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path_:
    return _prepare(request.param, tmp_path_factory.mktemp(request.param))


# moment -> which states the store may open in
MOMENTS = {"intent": "old", "log-start": "old or new", "log-middle": "old or new", "committed": "new",
           "checkpoint": "new", "checkpointed": "new"}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_killed_write_opens_in_the_old_or_the_new_state(write_path: Path_, tmp_path: Path, moment: str) -> None:
    db = copy_db(write_path.base, tmp_path)
    log_bytes = write_path.log_size // 2 if moment == "log-middle" else 1
    result = child(db, moment.split("-")[0], *write_path.args, log_bytes=log_bytes)
    if moment == "checkpoint" and result.returncode == 0:
        pass  # a small write may checkpoint faster than the watcher looks: then it simply finished
    else:
        assert result.returncode == -9, result.stderr
    state = dump_of(db)
    allowed = {"old": [write_path.before], "new": [write_path.after],
               "old or new": [write_path.before, write_path.after]}[MOMENTS[moment]]
    assert state in allowed
    assert not Path(f"{db}.write-intent").exists()
    rerun = child(db, "none", *write_path.args)  # and the same write completes it
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert dump_of(db) == write_path.after


def _committed_log(write_path: Path_, where: Path) -> Path:
    """A database whose write was killed right after COMMIT: the whole log of the write, not yet applied."""
    db = copy_db(write_path.base, where)
    assert child(db, "committed", *write_path.args).returncode == -9
    return db


@pytest.mark.parametrize("damage", ["truncated", "zeroed", "garbage"])
def test_a_torn_log_at_any_length_opens_in_the_old_state(write_path: Path_, tmp_path: Path, damage: str) -> None:
    # some of these logs (an OParl or publiccode load's, cut short) crash the engine when opened in-process:
    # the store must try them in a child first (wal_probe), or this test process dies
    whole = _committed_log(write_path, tmp_path / "whole")
    wal_bytes = Path(f"{whole}.wal").read_bytes()
    for fraction in (0.02, 0.3, 0.6, 0.95):
        db = copy_db(whole, tmp_path / f"{damage}-{fraction}")
        cut = int(len(wal_bytes) * fraction)
        tail = {"truncated": b"", "zeroed": bytes(len(wal_bytes) - cut),
                "garbage": bytes((i * 7919) % 251 for i in range(len(wal_bytes) - cut))}[damage]
        torn = wal_bytes[:cut] + tail
        Path(f"{db}.wal").write_bytes(torn)
        assert dump_of(db) == write_path.before, f"log {damage} at {cut} of {len(wal_bytes)} bytes"
        assert not Path(f"{db}.write-intent").exists()


def test_a_corrupt_log_without_a_marker_names_the_repair_command(tmp_path: Path) -> None:
    """Not left by this protocol (say, an older copgraph): refused with the exact command, which repairs it."""
    write_path = _prepare("curated", tmp_path / "prepare")
    db = _committed_log(write_path, tmp_path / "db")
    wal = Path(f"{db}.wal")
    wal.write_bytes(wal.read_bytes()[: wal.stat().st_size // 2])
    Path(f"{db}.write-intent").unlink()
    with pytest.raises(StoreCorrupt, match=re.escape(f"copgraph --db {db} repair")):
        LadybugStore(db)
    cli = [sys.executable, "-m", "graph_api.cli", "--db", str(db)]
    reload = subprocess.run([*cli, "load", "curated", str(SAMPLE_DIR / "curated")], capture_output=True, text=True,
                            cwd=PROJECT_ROOT, timeout=300)
    assert reload.returncode == 3 and f"copgraph --db {db} repair" in reload.stderr
    assert "Traceback" not in reload.stderr
    serve = subprocess.run([*cli, "serve", "--port", "1"], capture_output=True, text=True, cwd=PROJECT_ROOT,
                           timeout=300)
    assert serve.returncode == 3 and f"copgraph --db {db} repair" in serve.stderr  # not a 503 forever
    repaired = subprocess.run([*cli, "repair"], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert repaired.returncode == 0, repaired.stderr
    assert list(tmp_path.glob("db/g.lbdb.wal.damaged-*")), "the damaged log is kept for inspection"
    assert dump_of(db) == write_path.before
