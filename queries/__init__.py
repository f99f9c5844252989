"""The named queries (`*.cypher`), installed as package data `graph_api.queries` (see setup.py)."""
