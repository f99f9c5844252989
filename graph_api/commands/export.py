"""`copgraph export --format ttl|nt|jsonld|nq|trig [-o FILE]`: the whole graph as RDF, streamed."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from graph_api.commands import settings_from
from graph_api.commands.remote import RemoteError, RemoteServer, open_target
from graph_api.rdf.export import FORMATS, chunked, export


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", help="write the whole graph as RDF (streamed, to stdout or a file)")
    parser.add_argument("--format", choices=FORMATS, default="ttl",
                        help="ttl (Turtle), nt (N-Triples), jsonld, nq (N-Quads) or trig; nq/trig keep each "
                             "statement's source as its named graph")
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    parser.add_argument("--server", metavar="URL",
                        help="ask this running copgraph server instead of opening the database (used by itself "
                             "when a running server holds the LadybugDB file)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    started = time.perf_counter()
    target = open_target(settings, args.server)
    written = 0
    try:
        if isinstance(target, RemoteServer):  # the server's own base IRI: it names the nodes it serves
            chunks = target.export(args.format)
        else:
            chunks = chunked(export(target, settings.base_iri, args.format))
        if args.output:
            written = _write_whole(Path(args.output), chunks)
        else:
            for chunk in chunks:
                sys.stdout.write(chunk)
                written += len(chunk)
            sys.stdout.flush()
    except RemoteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    finally:
        target.close()
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"exported {written} characters as {args.format} in {elapsed:.2f} s, peak memory {peak_mib:.0f} MiB",
          file=sys.stderr)
    return 0


def _write_whole(output: Path, chunks: Iterator[str]) -> int:
    """Write beside `output`, then rename: a failed export (server gone, disk full) leaves `output` as it
    was instead of an empty or truncated file that looks like an export."""
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    written = 0
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
                written += len(chunk)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return written
