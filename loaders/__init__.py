"""Loaders: one module per source, each a function from a source path to `GraphRows`.

`LOADERS` is the registry behind `copgraph load NAME PATH`. A loader never talks to a store;
it may receive `existing_ids` to check references to nodes other sources provide.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from graph_api.rows import GraphRows

# name -> "module:function"; imported lazily so one loader's dependencies never burden another
LOADERS: dict[str, str] = {
    "gv100ad": "graph_api.loaders.gv100ad:read",
    "curated": "graph_api.loaders.curated:read",
    "rdf": "graph_api.loaders.rdf:read",
    "oparl": "graph_api.loaders.oparl:read",
    "publiccode": "graph_api.loaders.publiccode.load:read",
}

# name -> the path `copgraph load NAME PATH` expects (shown by `copgraph load --help`)
EXPECTED_INPUT: dict[str, str] = {
    "gv100ad": "a GV100AD fixed-width file from Destatis: the full edition (GV100AD_301121.ASC) or an extract "
               "of its records",
    "curated": "a folder of curated YAML files (territories.yaml, organizations.yaml, actors.yaml, ...; see "
               "docs/curated-format.md) or one such file",
    "rdf": "an RDF file as written by `copgraph export` (.ttl, .nt, .jsonld, .nq or .trig)",
    "oparl": "an OParl 1.1 JSON file or a dump folder searched recursively for *.json (see docs/oparl.md)",
    "publiccode": "publiccode.yml files (version 0) or folders searched recursively for publiccode.yml; each is "
                  "validated like the reference parser, adopter names are matched to official territories "
                  "(see docs/publiccode.md)",
}


def get_loader(name: str) -> Callable[..., GraphRows]:
    if name not in LOADERS:
        raise KeyError(f"unknown loader '{name}' (known: {', '.join(sorted(LOADERS))})")
    module, function = LOADERS[name].split(":")
    return getattr(import_module(module), function)


def read_source(name: str, path: str | Path, **options: Any) -> GraphRows:
    return get_loader(name)(path, **options)
