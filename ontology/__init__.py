"""Ontology, SHACL shapes and JSON-LD context, installed as package data `graph_api.ontology` (see setup.py)."""
