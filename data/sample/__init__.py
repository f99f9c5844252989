"""The bundled sample (`copgraph serve --demo`), installed as package data `graph_api.sample_data` (see setup.py)."""
