"""Check an installed copgraph wheel the way a user meets it: the `copgraph` command, outside the source.

Run by `.ci/run` with the Python of a fresh venv that has the wheel installed (not editable),
from an empty working directory; the source checkout is passed only to know which named
queries must be listed. Standard library only: nothing here may come from the source tree.

    python .ci/check_artefact.py --source REPO --copgraph VENV/bin/copgraph
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

START_TIMEOUT_S = 120


def fail(message: str) -> None:
    print(f"artefact check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def run(copgraph: str, *args: str) -> str:
    done = subprocess.run([copgraph, *args], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        fail(f"copgraph {' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http(url: str, body: dict | None = None, accept: str = "application/json") -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", "Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def expected_queries(source: Path) -> set[str]:
    names = {path.name.split(".")[0] for path in (source / "queries").glob("*.cypher")}
    if not names:
        fail(f"no named queries in {source / 'queries'}")
    return names


def check_serve(copgraph: str, queries: set[str]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([copgraph, "serve", "--demo", "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if server.poll() is not None:
                fail(f"copgraph serve --demo exited {server.returncode}:\n{server.stdout.read()[-2000:]}")
            try:
                status, body = http(f"{base}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    fail(f"copgraph serve --demo did not answer /healthz within {START_TIMEOUT_S} s")
                time.sleep(0.5)
        if status != 200 or json.loads(body).get("status") != "ok":
            fail(f"/healthz answered {status} {body}")
        _, body = http(f"{base}/queries")
        listed = {q["name"] for q in json.loads(body)["queries"]}
        if listed != queries:
            fail(f"/queries lists {sorted(listed)}, the package has {sorted(queries)}")
        _, body = http(f"{base}/graphql", {"query": "{ municipalities(first: 3) { edges { node { id name } } } }"})
        answer = json.loads(body)
        edges = (answer.get("data") or {}).get("municipalities", {}).get("edges", [])
        if answer.get("errors") or not edges:
            fail(f"/graphql did not list the demo municipalities: {body[:500]}")
        _, page = http(f"{base}/graphql", accept="text/html")
        scripts = re.findall(r'<script src="([^"]+)"', page)
        if "graphiql/graphiql.js" not in scripts or any("//" in s for s in scripts):
            fail(f"GET /graphql is not copgraph's own GraphiQL page (scripts: {scripts})")
        for script in scripts:
            http(f"{base}/{script}", accept="*/*")  # raises on 404
        print(f"serve --demo: /healthz ok, /queries {len(listed)} queries, /graphql {len(edges)} municipalities, "
              f"GraphiQL page with {len(scripts)} local scripts")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="the source checkout (for the query names)")
    parser.add_argument("--copgraph", required=True, help="the installed copgraph command")
    parser.add_argument("--version", required=True, help="the version the wheel was built as")
    args = parser.parse_args()
    here = Path.cwd().resolve()
    if (here / "graph_api").exists() or args.source.resolve() in (here, *here.parents):
        fail(f"run this from a directory without the source (now in {here})")
    os.environ["COPGRAPH_DB"] = str(here / "artefact.lbdb")

    shown = run(args.copgraph, "--version").strip()
    if shown != f"copgraph {args.version}":
        fail(f"copgraph --version printed {shown!r}, expected 'copgraph {args.version}'")
    print(f"--version: {shown}")

    queries = expected_queries(args.source)
    listed = {line.split()[0] for line in run(args.copgraph, "query", "--list").splitlines()
              if line.strip() and not line.startswith(" ")}
    if listed != queries:
        fail(f"query --list shows {sorted(listed)}, the package has {sorted(queries)}")
    print(f"query --list: {len(listed)} queries")

    check_serve(args.copgraph, queries)  # also leaves the demo data in $COPGRAPH_DB for the export

    turtle = run(args.copgraph, "export", "--format", "ttl")
    if "@prefix" not in turtle or "Municipality" not in turtle:
        fail(f"export --format ttl wrote no municipality ({len(turtle)} characters)")
    print(f"export --format ttl: {len(turtle.splitlines())} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
