"""Sub-commands of the `copgraph` CLI, one module each (see `graph_api.cli.COMMANDS`)."""

from __future__ import annotations

import argparse

from graph_api.config import Settings
from graph_api.store import Store, open_store


def settings_from(args: argparse.Namespace) -> Settings:
    """Environment first, then the global `--store`/`--db` flags."""
    return Settings().with_overrides(store=args.store, db_path=args.db)


def store_from(args: argparse.Namespace) -> Store:
    return open_store(settings_from(args))
