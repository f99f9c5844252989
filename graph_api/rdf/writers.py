"""Streaming RDF serialisers over subject blocks: N-Triples, N-Quads, Turtle, TriG and JSON-LD.

Each writer takes an iterator of `Block`s and yields text chunks, one per block, so output
starts at once and memory never holds more than one block. Literals are escaped as the N-Triples
grammar requires (canonical form: ECHAR for the named control characters, `\\uXXXX` for the
others); characters an IRI cannot hold are percent-encoded (see `escape_iri`). That syntax is also
valid Turtle, so the Turtle writer only adds prefixes and groups a subject's pairs. The whole-graph
N-Triples export has a faster path of its own over these terms (`graph_api/rdf/ntriples.py`).
Measured against rdflib and pyoxigraph in `bench/rdf_serialisers.py` (see docs/linked-data.md):
these writers are the fastest of the three and stream.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import Block, Obj
from graph_api.rdf.context import TERM_OF_CLASS, TERM_OF_PREDICATE, build_context

_LITERAL_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def needs_literal_escape(text: str) -> bool:
    """Whether `escape_literal` changes `text` (or any of many texts joined: escaping is per character)."""
    return _LITERAL_ESCAPE.search(text) is not None


def escape_literal(text: str) -> str:
    return _LITERAL_ESCAPE.sub(_escape_char, text) if _LITERAL_ESCAPE.search(text) else text


def escape_iri(text: str) -> str:
    """`text` with the characters the IRIREF production forbids percent-encoded (UTF-8). A UCHAR escape
    (`\\u0020`) is valid N-Triples syntax, but the IRI it spells is no IRI, and rapper, serdi and oxigraph
    refuse it; node keys are encoded when the IRI is made (`vocab.iri_key`), this covers IRIs from the data
    (a URL with a space). Per character, so the escaped parts of an IRI joined are the escaped IRI."""
    return _IRI_ESCAPE.sub(_percent, text) if _IRI_ESCAPE.search(text) else text


def _percent(match: re.Match[str]) -> str:
    return quote(match.group(), safe="")


@lru_cache(maxsize=4096)
def iri_term(iri: str) -> str:
    """`<iri>`, with characters the IRIREF production forbids percent-encoded (see `escape_iri`)."""
    return f"<{escape_iri(iri)}>"


def lexical(value: Any, datatype: str) -> str:
    """Canonical-enough lexical form of a Python value for its XSD datatype."""
    if datatype == v.XSD_BOOLEAN:
        return "true" if value else "false"
    if datatype == v.XSD_DOUBLE:
        value = float(value)
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    if datatype == v.XSD_INTEGER:
        return str(int(value))
    return str(value)


def nt_object(obj: Obj) -> str:
    value, datatype = obj
    if datatype is None:
        return iri_term(value)
    text = escape_literal(lexical(value, datatype))
    if datatype == v.XSD_STRING:
        return f'"{text}"'
    if datatype.startswith("@"):  # language-tagged string
        return f'"{text}"{datatype}'
    return f'"{text}"^^{iri_term(datatype)}'


# ---- N-Triples / N-Quads ----------------------------------------------------------------------
def write_nt(blocks: Iterable[Block]) -> Iterator[str]:
    for block in blocks:
        subject = iri_term(block.subject)
        yield "".join(f"{subject} {iri_term(p)} {nt_object(o)} .\n" for p, o in block.pairs)


def write_nq(blocks: Iterable[Block]) -> Iterator[str]:
    for block in blocks:
        subject = iri_term(block.subject)
        tail = f" {iri_term(block.graph)} .\n" if block.graph else " .\n"
        yield "".join(f"{subject} {iri_term(p)} {nt_object(o)}{tail}" for p, o in block.pairs)


# ---- Turtle / TriG ----------------------------------------------------------------------------
def _prefix_header(directive: str = "@prefix") -> str:
    return "".join(f"{directive} {prefix}: <{ns}> .\n" for prefix, ns in v.NAMESPACES.items()) + "\n"


@lru_cache(maxsize=4096)
def _ttl_iri(iri: str) -> str:
    compact = v.curie(iri)
    return compact if compact != iri else iri_term(iri)


def ttl_object(obj: Obj) -> str:
    value, datatype = obj
    if datatype is None:
        return _ttl_iri(value) if value.startswith(v.CG) or value in _VOCAB_OBJECTS else iri_term(value)
    if datatype == v.XSD_INTEGER:
        return str(int(value))
    if datatype == v.XSD_BOOLEAN:
        return "true" if value else "false"
    text = escape_literal(lexical(value, datatype))
    if datatype == v.XSD_STRING:
        return f'"{text}"'
    if datatype.startswith("@"):
        return f'"{text}"{datatype}'
    return f'"{text}"^^{_ttl_iri(datatype)}'


_VOCAB_OBJECTS = frozenset([*v.CLASS.values(), *v.ALL_REL_PREDICATES, v.RDF_STATEMENT, v.ORG_MEMBERSHIP,
                            v.SKOS_CONCEPT_SCHEME, v.CPOV_PUBLIC_ORGANISATION, v.ORG_ORGANIZATIONAL_UNIT])


def _ttl_block(subject: str, pairs: list[tuple[str, Obj]], indent: str = "") -> str:
    lines: list[str] = []
    previous = None
    for predicate, obj in pairs:
        text = ttl_object(obj)
        if predicate == previous:
            lines[-1] += f", {text}"
        else:
            lines.append(f"{'a' if predicate == v.RDF_TYPE else _ttl_iri(predicate)} {text}")
            previous = predicate
    inner = f" ;\n{indent}    ".join(lines)
    return f"{indent}{iri_term(subject)}\n{indent}    {inner} .\n"


def _merged(blocks: Iterable[Block]) -> Iterator[tuple[str, list[tuple[str, Obj]]]]:
    """Consecutive blocks of one subject as one (subject, pairs), pairs grouped by predicate."""
    subject, pairs = None, []
    for block in blocks:
        if block.subject != subject:
            if subject is not None:
                yield subject, _grouped(pairs)
            subject, pairs = block.subject, []
        pairs.extend(block.pairs)
    if subject is not None:
        yield subject, _grouped(pairs)


def _grouped(pairs: list[tuple[str, Obj]]) -> list[tuple[str, Obj]]:
    order: dict[str, list[tuple[str, Obj]]] = {}
    for pair in pairs:
        order.setdefault(pair[0], []).append(pair)
    return [pair for group in order.values() for pair in group]


def write_ttl(blocks: Iterable[Block]) -> Iterator[str]:
    yield _prefix_header()
    for subject, pairs in _merged(blocks):
        yield _ttl_block(subject, pairs) + "\n"


def write_trig(blocks: Iterable[Block]) -> Iterator[str]:
    yield _prefix_header()
    for block in blocks:
        body = _ttl_block(block.subject, _grouped(block.pairs), "    ")
        yield f"{iri_term(block.graph)} {{\n{body}}}\n\n" if block.graph else f"{{\n{body}}}\n\n"


# ---- JSON-LD ----------------------------------------------------------------------------------
def _json_value(obj: Obj) -> Any:
    value, datatype = obj
    if datatype == v.XSD_DOUBLE:
        return float(value)
    return value


def jsonld_node(subject: str, pairs: list[tuple[str, Obj]]) -> dict[str, Any]:
    """One node object in the compact form `ontology/context.jsonld` defines."""
    node: dict[str, Any] = {"@id": subject}
    for predicate, obj in pairs:
        if predicate == v.RDF_TYPE:
            key, value = "@type", TERM_OF_CLASS.get(obj[0], obj[0])
        else:
            key = TERM_OF_PREDICATE[predicate]
            value = _json_value(obj)
            if predicate == v.RDF_PREDICATE:
                value = v.curie(value)
        if key in node:
            current = node[key]
            node[key] = [*current, value] if isinstance(current, list) else [current, value]
        else:
            node[key] = value
    return node


def write_jsonld(blocks: Iterable[Block]) -> Iterator[str]:
    context = json.dumps(build_context()["@context"], ensure_ascii=False, indent=1)
    yield f'{{\n"@context": {context},\n"@graph": [\n'
    first = True
    for subject, pairs in _merged(blocks):
        text = json.dumps(jsonld_node(subject, pairs), ensure_ascii=False)
        yield text if first else ",\n" + text
        first = False
    yield "\n]\n}\n"


WRITERS: dict[str, Callable[[Iterable[Block]], Iterator[str]]] = {
    "nt": write_nt, "nq": write_nq, "ttl": write_ttl, "trig": write_trig, "jsonld": write_jsonld,
}
MEDIA_TYPES: dict[str, str] = {
    "ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "nq": "application/n-quads", "trig": "application/trig",
}
EXTENSIONS: dict[str, str] = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "nq": ".nq", "trig": ".trig"}
