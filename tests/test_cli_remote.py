"""The analysts' commands work while a server holds the LadybugDB file: they ask the server.

Found: `copgraph query`, `cypher` and `export` failed with "Could not set lock on file" while
`copgraph serve` ran on the same database (one process may open a LadybugDB file).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph_api.config import PROJECT_ROOT, SAMPLE_DIR

COPGRAPH = [sys.executable, "-m", "graph_api.cli"]
TOKEN = "remote-test-token-0123456789"


def _env(port: int) -> dict[str, str]:
    return {**os.environ, "COPGRAPH_API_TOKEN": TOKEN, "COPGRAPH_SERVER_URL": f"http://127.0.0.1:{port}",
            "COPGRAPH_RATE_LIMIT": "0"}


def copgraph(db: Path, port: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COPGRAPH, "--db", str(db), *args], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          timeout=300, env=_env(port))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    db = tmp_path_factory.mktemp("served") / "g.lbdb"
    port = 19000 + os.getpid() % 1000
    assert copgraph(db, port, "load", "gv100ad", str(SAMPLE_DIR / "gv100ad_pilot.ASC")).returncode == 0
    server = subprocess.Popen([*COPGRAPH, "--db", str(db), "serve", "--port", str(port)], cwd=PROJECT_ROOT,
                              env=_env(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("the server did not become ready")
        yield db, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_cypher_asks_the_running_server(served: tuple[Path, int]) -> None:
    db, port = served
    done = copgraph(db, port, "cypher", "MATCH (m:Municipality {id: $id}) RETURN m.name AS name",
                    "--param", "id=Municipality:13076060", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "held by a running server" in done.stderr
    assert json.loads(done.stdout)["rows"][0]["name"].startswith("Hagenow")


def test_named_query_asks_the_running_server(served: tuple[Path, int]) -> None:
    db, port = served
    done = copgraph(db, port, "query", "municipalities_of_territory", "--param", "territory=County:13076",
                    "--format", "json")
    assert done.returncode == 0, done.stderr
    assert any(row for row in json.loads(done.stdout)["rows"])


def test_export_asks_the_running_server(served: tuple[Path, int], tmp_path: Path) -> None:
    db, port = served
    out = tmp_path / "g.nt"
    done = copgraph(db, port, "export", "--format", "nt", "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "13076060" in text and all(line.endswith(" .") for line in text.splitlines())


def test_a_refusal_keeps_the_servers_reason(served: tuple[Path, int]) -> None:
    db, port = served
    done = copgraph(db, port, "cypher", "MATCH (m:Municipality) SET m.name = 'x' RETURN m")
    assert done.returncode != 0 and "403" in done.stderr
