"""Generated views of the graph vocabulary for analysts: the schema section of `queries/README.md`
and the schema JSON the Neo4j lint (`tools/cypher-lint/`) checks the queries against.

Both are derived from `graph_api.model` and the query headers, and the README's worked questions
are run on the bundled pilot data, so none of it can drift from the code or the data:
`python -m graph_api.query_docs --write` regenerates them, `--check` (run by the tests) fails
when a committed copy is out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from graph_api.config import PROJECT_ROOT, Settings
from graph_api.model import ADOPTION_STATUSES, NODE_PROPERTIES, ORGANIZATION_KINDS, REL_TYPES
from graph_api.query_library import NamedQuery, load_library, run_named
from graph_api.result_format import as_table
from graph_api.store import Store, history

README = PROJECT_ROOT / "queries" / "README.md"
LINT_SCHEMA = PROJECT_ROOT / "tools" / "cypher-lint" / "schema.json"
BEGIN = "<!-- generated: schema and query list (python -m graph_api.query_docs --write) -->"
END = "<!-- end generated -->"
_OR = " \\| "  # a pipe inside a Markdown table cell
_TYPE_NAMES = {"STRING": "string", "INT64": "int", "DOUBLE": "float", "BOOLEAN": "bool"}


def lint_schema() -> dict[str, list[str]]:
    """Labels, relationship types and property keys in the shape `lintCypherQuery` expects."""
    keys = {"id"} | {p for props in NODE_PROPERTIES.values() for p in props}
    keys |= {p for rel in REL_TYPES.values() for p in rel.properties}
    keys |= set(history.COLUMNS)  # the change history's own table, outside the graph vocabulary
    labels = sorted({*NODE_PROPERTIES, history.LABEL})
    return {"labels": labels, "relationshipTypes": sorted(REL_TYPES), "propertyKeys": sorted(keys)}


def _pairs(pairs: tuple[tuple[str, str], ...]) -> str:
    froms = sorted({a for a, _ in pairs})
    tos = sorted({b for _, b in pairs})
    if len(pairs) == len(froms) * len(tos):
        return f"{_OR.join(froms)} → {_OR.join(tos)}"
    return "; ".join(f"{a} → {b}" for a, b in pairs)


def schema_markdown() -> str:
    lines = ["### Node labels", "", "Every node has `id` (`<Label>:<key>`, e.g. `Municipality:13076060`). "
             "Dates are ISO strings (`YYYY-MM-DD`).", "", "| Label | Properties |", "| --- | --- |"]
    for label, props in NODE_PROPERTIES.items():
        shown = ", ".join(f"`{p}` {_TYPE_NAMES[t]}" for p, t in props.items())
        lines.append(f"| `{label}` | {shown} |")
    lines += ["", "### Relationships", "",
              "Every relationship may carry `source` (the id of the Source that states it).", "",
              "| Type | From → to | Properties |", "| --- | --- | --- |"]
    for rel in REL_TYPES.values():
        props = ", ".join(f"`{p}` {_TYPE_NAMES[t]}" for p, t in rel.properties.items() if p != "source") or "–"
        lines.append(f"| `{rel.name}` | {_pairs(rel.pairs)} | {props} |")
    lines += ["", f"Adoption `status`: {', '.join(ADOPTION_STATUSES)}. "
              f"Organization `kind`: {', '.join(ORGANIZATION_KINDS)}."]
    return "\n".join(lines)


def _param_text(query: NamedQuery) -> str:
    if not query.params:
        return "–"
    parts = []
    for p in query.params:
        default = "" if p.required else f" = `{json.dumps(p.default, ensure_ascii=False)}`"
        parts.append(f"`{p.name}` {p.type}{default}")
    return "<br>".join(parts)


def queries_markdown() -> str:
    lines = ["### Named queries", "", "| Query | Purpose | Parameters | Columns | Files |",
             "| --- | --- | --- | --- | --- |"]
    for query in load_library().values():
        files = ", ".join(sorted({f"[{p.name}]({p.name})" for p in query.files.values()}))
        lines.append(f"| `{query.name}` | {query.purpose} | {_param_text(query)} | "
                     f"{', '.join(query.columns)} | {files} |")
    return "\n".join(lines)


# (question, query, parameters as on the command line): run on the pilot data for the README
WORKED: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("Who took up the digital local agenda, when, and how far did they get?", "adopters_of_solution", {}),
    ("From whom did each adopter of the Klimawerkstatt learn it?", "transfer_lineage",
     {"solution": "Solution:klimawerkstatt"}),
    ("Which municipalities of Herzogtum Lauenburg depend on a single person for their contact to the county?",
     "key_persons", {"county": "County:01053"}),
    ("How do the county administration of Ludwigslust-Parchim and the town of Hagenow reach each other?",
     "contact_paths", {"from": "Organization:kreisverwaltung-ludwigslust-parchim", "to": "Municipality:13076060"}),
    ("Which solutions help a municipality that wants more citizen participation?", "solutions_by_need",
     {"need": "Concept:need-beteiligung-staerken"}),
)


def worked_markdown(store: Store) -> str:
    lines = ["### Worked questions on the pilot data", ""]
    library = load_library()
    for number, (question, name, params) in enumerate(WORKED, start=1):
        args = "".join(f" --param {k}={v}" for k, v in params.items())
        result = run_named(store, library[name], params)
        lines += [f"**{number}. {question}**", "", "```console", f"$ copgraph query {name}{args}",
                  as_table(result), "```", ""]
    return "\n".join(lines).rstrip()


def _pilot_store(folder: str) -> Store:
    """A throwaway LadybugDB in `folder` with the bundled sample, for the worked examples."""
    from graph_api.ingest import load_sample
    from graph_api.store import open_store

    store = open_store(Settings(store="ladybug", db_path=str(Path(folder) / "pilot.lbdb")))
    load_sample(store)
    return store


def generated_section(store: Store) -> str:
    return f"{BEGIN}\n\n{worked_markdown(store)}\n\n{schema_markdown()}\n\n{queries_markdown()}\n\n{END}"


def readme_with_section(text: str, store: Store) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{README.name} has no generated section (markers {BEGIN!r} … {END!r})")
    return text[:start] + generated_section(store) + text[end + len(END):]


def _lint_schema_text() -> str:
    return json.dumps(lint_schema(), indent=2) + "\n"


def outdated(store: Store) -> list[Path]:
    """Committed generated files that differ from what the code (and the pilot data in `store`) give now."""
    stale = []
    if README.read_text(encoding="utf-8") != readme_with_section(README.read_text(encoding="utf-8"), store):
        stale.append(README)
    if not LINT_SCHEMA.exists() or LINT_SCHEMA.read_text(encoding="utf-8") != _lint_schema_text():
        stale.append(LINT_SCHEMA)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="regenerate the README section and the lint schema")
    group.add_argument("--check", action="store_true", help="exit 1 when a generated file is out of date")
    group.add_argument("--print", action="store_true", help="print the generated README section")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="copgraph-docs-") as folder:
        return _run(args, _pilot_store(folder))


def _run(args: argparse.Namespace, store: Store) -> int:
    try:
        if args.print:
            print(generated_section(store))
            return 0
        if args.check:
            stale = outdated(store)
            for path in stale:
                print(f"{path.relative_to(PROJECT_ROOT)} is out of date: run python -m graph_api.query_docs --write",
                      file=sys.stderr)
            return 1 if stale else 0
        README.write_text(readme_with_section(README.read_text(encoding="utf-8"), store), encoding="utf-8")
        LINT_SCHEMA.write_text(_lint_schema_text(), encoding="utf-8")
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
