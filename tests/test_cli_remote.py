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
from rdflib import Graph, URIRef

from graph_api.commands.server_address import address_file, announced, announced_url
from graph_api.config import PROJECT_ROOT, SAMPLE_DIR, Settings

COPGRAPH = [sys.executable, "-m", "graph_api.cli"]
TOKEN = "remote-test-token-0123456789"


def _env(port: int | None) -> dict[str, str]:
    """The CLI's environment; port None: not told where the server is (it must find the announced address)."""
    env = {k: v for k, v in os.environ.items() if k != "COPGRAPH_SERVER_URL"}
    env.update({"COPGRAPH_API_TOKEN": TOKEN, "COPGRAPH_RATE_LIMIT": "0"})
    if port is not None:
        env["COPGRAPH_SERVER_URL"] = f"http://127.0.0.1:{port}"
    return env


def copgraph(db: Path, port: int | None, *args: str) -> subprocess.CompletedProcess[str]:
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
    assert not address_file(db).exists(), "a stopped server must withdraw its address"


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


def test_export_finds_a_server_on_another_port_untold(served: tuple[Path, int], tmp_path: Path) -> None:
    """Found: with `serve --port 8766` and no COPGRAPH_SERVER_URL, export asked port 8000 and failed."""
    db, port = served
    assert port != 8000
    out = tmp_path / "g.ttl"
    done = copgraph(db, None, "export", "--format", "ttl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"127.0.0.1:{port}" in done.stderr
    graph = Graph().parse(out, format="turtle")  # an outside parser reads the whole answer
    hagenow = URIRef(f"{Settings().base_iri}id/municipality/13076060")
    assert (hagenow, None, None) in graph and len(graph) > 1_000


def test_a_failed_export_leaves_the_output_file_as_it_was(tmp_path: Path) -> None:
    """Found: a refused remote export left `-o FILE` empty, as if the graph were empty."""
    out = tmp_path / "g.nt"
    out.write_text("an earlier export\n", encoding="utf-8")
    done = subprocess.run([*COPGRAPH, "--db", str(tmp_path / "g.lbdb"), "export", "--server", "http://127.0.0.1:9",
                           "--format", "nt", "-o", str(out)], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          timeout=120, env=_env(None))
    assert done.returncode == 3 and "cannot reach" in done.stderr
    assert out.read_text(encoding="utf-8") == "an earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nt"]


@pytest.mark.parametrize("content", ['{"url": "http://127.0.0.1:1", "pid": 999999999}', "{not json",
                                     '{"url": "file:///etc/passwd", "pid": 1}', '{"url": "http://x", "pid": -1}',
                                     '{"url": "http://x", "pid": 99999999999999999999999}', "[]", ""])
def test_a_stale_or_foreign_address_file_is_ignored(tmp_path: Path, content: str) -> None:
    db = tmp_path / "g.lbdb"
    address_file(db).write_text(content, encoding="utf-8")
    assert announced_url(db) is None


def test_the_address_is_withdrawn_only_by_its_own_server(tmp_path: Path) -> None:
    db = tmp_path / "g.lbdb"
    with announced(db, "http://127.0.0.1:8123"):
        assert announced_url(db) == "http://127.0.0.1:8123"
        newer = json.dumps({"url": "http://127.0.0.1:8124", "pid": os.getppid()})
        address_file(db).write_text(newer, encoding="utf-8")
    assert announced_url(db) == "http://127.0.0.1:8124"  # a newer server's address stays


def test_a_refusal_keeps_the_servers_reason(served: tuple[Path, int]) -> None:
    db, port = served
    done = copgraph(db, port, "cypher", "MATCH (m:Municipality) SET m.name = 'x' RETURN m")
    assert done.returncode != 0 and "403" in done.stderr
