"""Linked data: the graph as RDF (export, single-node descriptions, import back).

`vocab` maps the graph vocabulary of `graph_api.model` to RDF terms, `blocks` reads the store
page by page into subject blocks, `writers` serialise blocks as N-Triples, N-Quads, Turtle, TriG
and JSON-LD without holding the graph in memory, `export` and `describe` put these together.
"""
