"""Where copgraph's read-only files are: named queries, ontology, sample data, static pages.

They ship as package data (setup.py installs the repository's top-level `queries/`, `ontology/`
and `data/sample/` as `graph_api.queries`, `graph_api.ontology` and `graph_api.sample_data`), so
`importlib.resources` finds them in an installed wheel and in an editable checkout alike. Nothing
at run time looks next to a source tree.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_folder(package: str) -> Path:
    """The folder of an installed package as a real path.

    pip always unpacks wheels, and StaticFiles, glob and the loaders need real paths; a zipped
    install would be refused here with a clear message instead of failing later somewhere else.
    """
    folder = files(package)
    if not isinstance(folder, Path):
        raise RuntimeError(f"{package} is not installed as plain files ({folder!r}); install copgraph with pip")
    return folder


QUERIES_DIR = package_folder("graph_api.queries")
ONTOLOGY_DIR = package_folder("graph_api.ontology")
SAMPLE_DATA_DIR = package_folder("graph_api.sample_data")
STATIC_DIR = package_folder("graph_api") / "static"
