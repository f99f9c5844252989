"""Run a loader against a store: read and validate everything first, then apply in one batch.

Keeping parse/validate apart from writing is what makes a load atomic: a file with an error
never reaches the store, and a batch that reaches it is written in one transaction.
"""

from __future__ import annotations

import getpass
import inspect
from pathlib import Path

from graph_api.config import SAMPLE_DIR
from graph_api.loaders import get_loader
from graph_api.rows import ApplySummary, GraphRows
from graph_api.store import Store
from graph_api.store.history import Origin


def existing_ids_in(store: Store):  # noqa: ANN201 - returns the loaders' ExistingIds callable
    """A callable that answers which of some ids exist in `store`."""
    return store.existing_ids


def read_rows(loader: str, path: str | Path, store: Store | None = None, **options: object) -> GraphRows:
    function = get_loader(loader)
    parameters = inspect.signature(function).parameters
    if store is not None and "existing_ids" in parameters:
        options["existing_ids"] = existing_ids_in(store)
    if store is not None and "read_graph" in parameters:  # read-only lookups (publiccode: names, repositories)
        options["read_graph"] = store.read
    return function(path, **options)


def load(store: Store, loader: str, paths: list[str | Path], *, who: str | None = None,
         **options: object) -> ApplySummary:
    """Validate every path, then apply all rows in one batch (recorded in the change history as `who`)."""
    rows = GraphRows()
    for path in paths:
        rows.extend(read_rows(loader, path, store, **options))
    origin = Origin(who or local_user(), f"load {loader} {' '.join(Path(p).name for p in paths)}")
    summary = store.apply(rows, origin=origin)
    summary.notes.extend(rows.notes)
    return summary


def local_user() -> str:
    """Who runs a load from this machine: the operating-system user, as the history's `who`."""
    try:
        return f"local:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for the uid (containers)
        return "local"


def load_sample(store: Store, sample_dir: Path = SAMPLE_DIR) -> ApplySummary:
    """The bundled demo data: the two-county GV100AD extract, then the curated pilot data."""
    summary = load(store, "gv100ad", [sample_dir / "gv100ad_pilot.ASC"])
    for name in SAMPLE_LOADERS:
        folder = sample_dir / name
        if folder.exists():
            summary.merge(load(store, name, [folder]))
    return summary


# bundled sample folders loaded after the territory, in order
SAMPLE_LOADERS = ("curated", "oparl")
