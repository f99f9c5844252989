"""Every Cypher text the application can send to Neo4j passes the Neo4j language-support lint.

No Neo4j server runs here, so the Neo4j side of the GraphQL layer is at least checked statically:
each text (relations, lists with every filter and order, the mission reads) is written out as a
`*.neo4j.cypher` file with its parameters declared and linted like the analysts' queries.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph_api.store import adoption_reads, mission_reads
from graph_api.store import texts as store_texts_module
from tests.test_query_library import _lint


def graphql_texts() -> dict[str, str]:
    """The store's read texts (every form, `graph_api.store.texts.all_texts`) and the mission reads."""
    texts = store_texts_module.all_texts()
    texts |= {f"mission-{k}": v for k, v in mission_reads.all_texts("neo4j").items()}
    texts |= adoption_reads.texts()
    return texts


def lint_texts(texts: dict[str, str], folder: Path) -> None:
    """Write each text as a `*.neo4j.cypher` file with its parameters declared, lint them all."""
    for name, text in texts.items():
        params = sorted(set(re.findall(r"\$(\w+)", text)))
        header = "".join(f"// param: {p}: string\n" for p in params)
        (folder / f"{name}.neo4j.cypher").write_text(f"// name: {name}\n{header}{text}\n", encoding="utf-8")
    done = _lint(folder)
    assert done.returncode == 0, done.stderr
    assert f"{len(texts)} Neo4j queries checked, 0 finding(s)" in done.stdout


def test_graphql_layer_cypher_passes_the_neo4j_lint(tmp_path: Path) -> None:
    lint_texts(graphql_texts(), tmp_path)


def store_texts() -> dict[str, str]:
    """The upsert, delete and schema texts the store sends to Neo4j, recorded from the real code paths."""
    from graph_api.model import NODE_PROPERTIES, REL_TYPES
    from graph_api.store import base
    from graph_api.store.neo4j_store import schema_statements

    recorded: list[str] = []

    def run(text: str, _params: object) -> list:
        recorded.append(text)
        return []

    for label, props in NODE_PROPERTIES.items():
        row = {"id": f"{label}:x", **dict.fromkeys(props, "v")}
        base.Store._create_nodes(None, run, label, [row])  # the generic path Neo4j uses
        base._update_nodes(run, label, [row])
        base._clear_property(run, row["id"], next(iter(props)))
    for rel in REL_TYPES.values():
        key = (rel.name, *rel.pairs[0])
        row = {"from": f"{key[1]}:x", "to": f"{key[2]}:y", **dict.fromkeys(rel.properties, "v")}
        base.Store._create_rels(None, run, key, [row])
        base._update_rels(run, key, [row])
    from graph_api.store import facts, history, territory_totals

    texts = {f"store-{i}": t for i, t in enumerate(recorded)}
    texts |= facts.texts() | territory_totals.texts() | history.texts()
    texts |= {f"schema-{i}": t for i, t in enumerate(schema_statements())}
    return texts


def test_store_cypher_passes_the_neo4j_lint(tmp_path: Path) -> None:
    lint_texts(store_texts(), tmp_path)
