"""The vocabulary documents a deployment publishes: ontology, SHACL shapes, JSON-LD context.

They are small and fixed per release, so each is parsed once with rdflib and serialised in the
format a client negotiates (Turtle, N-Triples, JSON-LD, RDF/XML). Browsers get an HTML page that
lists every class and property with its German and English label and comment and an anchor
per term, so `{base}ontology#County` opens at the term's entry. The page is plain HTML without
script or inline style (it must render under the server's Content-Security-Policy).
"""

from __future__ import annotations

import html
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph_api.rdf import vocab as v
from graph_api.rdf.generate import CONTEXT_FILE, ONTOLOGY_FILE, SHAPES_FILE

DOCUMENTS = {"ontology": ONTOLOGY_FILE, "shapes": SHAPES_FILE}
# negotiated media type -> rdflib serializer; the first is the answer to */*
RDF_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle", "application/n-triples": "nt11", "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
HTML = "text/html"
# `/ontology.ttl` etc. name a format without negotiation
EXTENSION_MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
                         ".rdf": "application/rdf+xml", ".html": HTML}
CG_GRAPH_ELEMENT = URIRef(v.CG + "graphElement")


@cache
def document_graph(name: str) -> Graph:
    graph = Graph()
    graph.parse(DOCUMENTS[name], format="turtle")
    return graph


@cache
def serialised(name: str, media_type: str) -> str:
    if media_type == "text/turtle":  # the committed file, comments and order kept
        return DOCUMENTS[name].read_text(encoding="utf-8")
    return document_graph(name).serialize(format=RDF_MEDIA_TYPES[media_type])


def context_text() -> str:
    return CONTEXT_FILE.read_text(encoding="utf-8")


def _texts(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for obj in graph.objects(subject, predicate):
        if isinstance(obj, Literal):
            out.setdefault(obj.language or "", str(obj))
    return out


def _term_link(iri: URIRef) -> str:
    text = html.escape(v.curie(str(iri)))
    if str(iri).startswith(v.CG):
        return f'<a href="#{html.escape(str(iri)[len(v.CG):])}">{text}</a>'
    return f'<a href="{html.escape(str(iri))}">{text}</a>'


def _term_rows(graph: Graph, terms: list[URIRef], relations: tuple[tuple[str, URIRef], ...]) -> list[str]:
    rows = []
    for term in terms:
        labels, comments = _texts(graph, term, RDFS.label), _texts(graph, term, RDFS.comment)
        anchor = str(term)[len(v.CG):] if str(term).startswith(v.CG) else v.curie(str(term))
        mapped = []
        for caption, predicate in relations:
            targets = sorted(graph.objects(term, predicate), key=str)
            if targets:
                mapped.append(f"{caption} " + ", ".join(_term_link(t) for t in targets if isinstance(t, URIRef)))
        elements = sorted(str(e) for e in graph.objects(term, CG_GRAPH_ELEMENT))
        rows.append(
            f'<tr id="{html.escape(anchor)}"><td><code>{html.escape(v.curie(str(term)))}</code></td>'
            f'<td lang="de">{html.escape(labels.get("de", ""))}</td>'
            f'<td lang="en">{html.escape(labels.get("en", ""))}</td>'
            f'<td lang="de">{html.escape(comments.get("de", comments.get("", "")))}</td>'
            f"<td>{'<br>'.join(mapped)}</td><td>{html.escape(', '.join(elements))}</td></tr>")
    return rows


def _table(title: str, rows: list[str]) -> str:
    head = ("<tr><th>Begriff</th><th>Bezeichnung</th><th>label</th><th>Beschreibung</th>"
            "<th>Abbildung</th><th>Graphelement</th></tr>")
    return f"<h2>{html.escape(title)}</h2>\n<table>\n{head}\n" + "\n".join(rows) + "\n</table>\n"


def ontology_html(base: str) -> str:
    """The ontology as a German HTML page: classes, then object, datatype and annotation properties."""
    graph = document_graph("ontology")
    ontology = URIRef(v.ONTOLOGY_IRI)
    labels, comments = _texts(graph, ontology, RDFS.label), _texts(graph, ontology, RDFS.comment)

    def of_type(kind: URIRef) -> list[URIRef]:
        own = [s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(v.CG)]
        public = [s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and not str(s).startswith(v.CG)]
        return sorted(own, key=str) + sorted(public, key=str)

    classes = _term_rows(graph, of_type(OWL.Class), (("⊑", RDFS.subClassOf),))
    properties = {
        "Objekteigenschaften": of_type(OWL.ObjectProperty), "Datentypeigenschaften": of_type(OWL.DatatypeProperty),
        "Annotationseigenschaften": of_type(OWL.AnnotationProperty), "Weitere Eigenschaften": of_type(RDF.Property),
    }
    relations = (("⊑", RDFS.subPropertyOf), ("Definitionsbereich", RDFS.domain), ("Wertebereich", RDFS.range))
    sections = [_table("Klassen", classes)]
    sections += [_table(title, _term_rows(graph, terms, relations)) for title, terms in properties.items() if terms]
    formats = " · ".join(f'<a href="{html.escape(base)}ontology{ext}">{ext[1:]}</a>'
                         for ext in EXTENSION_MEDIA_TYPES if ext != ".html")
    return (
        '<!DOCTYPE html>\n<html lang="de">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(labels.get('de', 'copgraph-Ontologie'))}</title></head>\n<body>\n"
        f"<h1>{html.escape(labels.get('de', 'copgraph-Ontologie'))}</h1>\n"
        f"<p>{html.escape(comments.get('de', ''))}</p>\n"
        f"<p>Namensraum <code>{html.escape(v.CG)}</code> (Präfix <code>cg:</code>). "
        f"Maschinenlesbar: {formats}; SHACL-Formen: <a href=\"{html.escape(base)}shapes\">shapes</a>; "
        f"JSON-LD-Kontext: <a href=\"{html.escape(base)}context.jsonld\">context.jsonld</a>.</p>\n"
        + "".join(sections) + "</body>\n</html>\n")
