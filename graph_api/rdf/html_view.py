"""A plain HTML rendering of description blocks, for browsers asking for a resource the Explorer has no page for.

Nodes send browsers to the Explorer (303); a concept scheme is shown here as a table of its
statements, every IRI a link. No script, no inline style: it renders under the server's CSP.
"""

from __future__ import annotations

import html

from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import Block, Obj


def _object(obj: Obj) -> str:
    value, datatype = obj
    if datatype is None:
        return f'<a href="{html.escape(value)}">{html.escape(v.curie(value))}</a>'
    return html.escape(str(value))


def blocks_html(title: str, blocks: list[Block]) -> str:
    rows = []
    for block in blocks:
        for predicate, obj in block.pairs:
            rows.append(f'<tr><td><a href="{html.escape(block.subject)}">{html.escape(v.curie(block.subject))}</a></td>'
                        f"<td>{html.escape(v.curie(predicate))}</td><td>{_object(obj)}</td></tr>")
    return ('<!DOCTYPE html>\n<html lang="de">\n<head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head>\n<body>\n<h1>{html.escape(title)}</h1>\n"
            "<table>\n<tr><th>Subjekt</th><th>Prädikat</th><th>Objekt</th></tr>\n" + "\n".join(rows)
            + "\n</table>\n</body>\n</html>\n")
