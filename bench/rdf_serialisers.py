"""Measure the RDF serialisers against rdflib and pyoxigraph on one graph: triples/s and peak memory.

`python -m bench.rdf_serialisers [--gv100ad FILE] [--pilot]` loads a temporary store, reads its
blocks once, then serialises the same blocks with each candidate to a null sink (tracemalloc
peak per run; the blocks themselves are excluded, rdflib's in-memory graph is included because
it needs one). Finally it streams the whole export from the store to show that memory stays
flat. The numbers in docs/linked-data.md come from this script; tests never assert timing.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

from graph_api.config import SAMPLE_DIR, Settings
from graph_api.rdf.blocks import Block, graph_blocks
from graph_api.rdf.export import export
from graph_api.rdf.writers import write_jsonld, write_nq, write_nt, write_ttl
from graph_api.store import Store, open_store

BASE = "https://copgraph.example.org/"


class _NullSink(io.RawIOBase):
    """A binary file that forgets what it is given (so output size does not count as memory)."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # noqa: ANN001 - bytes-like
        return len(data)


def _measure(name: str, triples: int, run: Callable[[], None]) -> tuple[str, float, float]:
    """Time one run without tracing (tracemalloc slows allocation-heavy code), then trace a second run."""
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"{name:<28}{triples / elapsed:>14,.0f} triples/s{peak:>10.1f} MiB peak", flush=True)
    return name, triples / elapsed, peak


def _drain(chunks: Iterable[str]) -> None:
    for _ in chunks:
        pass


def rdflib_dataset(blocks: list[Block]):  # noqa: ANN201 - rdflib Dataset
    """The same blocks as an rdflib Dataset: what serialising with rdflib, for comparison, needs."""
    from rdflib import Dataset, Literal, URIRef

    dataset = Dataset()
    for block in blocks:
        graph = dataset.graph(URIRef(block.graph)) if block.graph else dataset.default_graph
        s = URIRef(block.subject)
        for p, (value, datatype) in block.pairs:
            o = URIRef(value) if datatype is None else Literal(value, datatype=URIRef(datatype))
            graph.add((s, URIRef(p), o))
    return dataset


def _oxigraph_quads(blocks: list[Block]):  # noqa: ANN202 - iterator of pyoxigraph quads
    import pyoxigraph as ox

    from graph_api.rdf.writers import lexical

    default = ox.DefaultGraph()
    for block in blocks:
        s = ox.NamedNode(block.subject)
        g = ox.NamedNode(block.graph) if block.graph else default
        for p, (value, datatype) in block.pairs:
            o = ox.NamedNode(value) if datatype is None else ox.Literal(lexical(value, datatype),
                                                                        datatype=ox.NamedNode(datatype))
            yield ox.Quad(s, ox.NamedNode(p), o, g)


def compare(store: Store) -> None:
    import pyoxigraph as ox

    blocks = list(graph_blocks(store, BASE))
    triples = sum(len(b.pairs) for b in blocks)
    print(f"{triples:,} triples in {len(blocks):,} blocks")
    _measure("own N-Triples", triples, lambda: _drain(write_nt(blocks)))
    _measure("own N-Quads", triples, lambda: _drain(write_nq(blocks)))
    _measure("own Turtle", triples, lambda: _drain(write_ttl(blocks)))
    _measure("own JSON-LD", triples, lambda: _drain(write_jsonld(blocks)))
    _measure("pyoxigraph N-Triples", triples, lambda: ox.serialize(
        (q.triple for q in _oxigraph_quads(blocks)), _NullSink(), ox.RdfFormat.N_TRIPLES))
    _measure("pyoxigraph Turtle", triples, lambda: ox.serialize(
        (q.triple for q in _oxigraph_quads(blocks)), _NullSink(), ox.RdfFormat.TURTLE))
    _measure("pyoxigraph N-Quads", triples, lambda: ox.serialize(
        _oxigraph_quads(blocks), _NullSink(), ox.RdfFormat.N_QUADS))
    _measure("rdflib N-Triples", triples, lambda: rdflib_dataset(blocks).serialize(format="nt"))
    _measure("rdflib Turtle", triples, lambda: rdflib_dataset(blocks).serialize(format="turtle"))
    _measure("rdflib JSON-LD", triples, lambda: rdflib_dataset(blocks).serialize(format="json-ld"))
    for fmt in ("nt", "ttl"):
        _measure(f"store -> {fmt} (streamed)", triples, lambda fmt=fmt: _drain(export(store, BASE, fmt)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gv100ad", type=Path, help="a GV100AD file to load (e.g. the full Germany edition)")
    parser.add_argument("--pilot", action="store_true", help="load the bundled pilot sample")
    args = parser.parse_args()
    from graph_api.ingest import load, load_sample

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings(db_path=str(Path(tmp) / "bench.lbdb")))
        if args.pilot or not args.gv100ad:
            load_sample(store)
        if args.gv100ad:
            load(store, "gv100ad", [args.gv100ad])
        print(f"store: {args.gv100ad or SAMPLE_DIR}")
        compare(store)
        store.close()


if __name__ == "__main__":
    main()
