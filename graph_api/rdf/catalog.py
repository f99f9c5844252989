"""The dataset described for portals (DCAT-AP.de) and for linked-data tools (VoID), in one graph.

GovData harvests DCAT-AP.de; data.europa.eu harvests DCAT-AP; SPARQL clients and crawlers read
VoID. One resource `{base}dataset` is both a `dcat:Dataset` and a `void:Dataset`: publisher,
licence, the political geocoding of its coverage (one `dcatde:politicalGeocodingURI` per state
in the graph), one `dcat:Distribution` per export format, and the SPARQL endpoint as a
`dcat:DataService`. Publisher and licence are the deployment's choice; the defaults here fit
the bundled data (GV100AD is published under Datenlizenz Deutschland – Namensnennung 2.0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from graph_api.rdf import vocab as v
from graph_api.rdf.writers import MEDIA_TYPES

DCATDE = Namespace(v.NAMESPACES["dcatde"])
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
FILE_TYPES = {"ttl": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "jsonld": "JSON_LD", "nq": "RDF_N_QUADS", "trig": "RDF_TRIG"}
FORMAT_TITLES = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD",
                 "nq": "N-Quads (Quellen als benannte Graphen)", "trig": "TriG (Quellen als benannte Graphen)"}
IANA = "https://www.iana.org/assignments/media-types/"
GOVERNMENT_THEME = URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")
GERMAN = URIRef("http://publications.europa.eu/resource/authority/language/DEU")
STATE_LEVEL = URIRef(v.GEOCODING + "Level/state")


@dataclass(frozen=True)
class Publication:
    """Who publishes the dataset under which licence (DCAT-AP.de licence vocabulary)."""

    publisher_name: str = "copgraph – Wissensgraph kommunaler Verwaltungsinnovation"
    licence: str = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"


def dataset_iri(base: str) -> str:
    return f"{base}dataset"


def catalog_graph(base: str, *, state_keys: list[str], triples: int | None, modified: datetime,
                  example: str | None = None, publication: Publication = Publication()) -> Graph:
    """The DCAT-AP.de / VoID description of the export served at `{base}export`."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("dcatde", DCATDE)
    graph.bind("void", VOID)
    graph.bind("foaf", FOAF)
    dataset = URIRef(dataset_iri(base))
    publisher = URIRef(f"{dataset_iri(base)}#publisher")
    licence = URIRef(publication.licence)
    add = graph.add
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, DCTERMS.title, Literal("copgraph: Wissensgraph kommunaler Verwaltungsinnovation", lang="de")))
    add((dataset, DCTERMS.title, Literal("copgraph: knowledge graph of municipal administrative innovation",
                                         lang="en")))
    add((dataset, DCTERMS.description, Literal(
        "Amtliche Gebietskörperschaften (GV100AD), Verwaltungen, Akteure, Lösungen und ihre Übernahme durch "
        "Kommunen, mit Quellenangabe je Aussage.", lang="de")))
    add((dataset, DCTERMS.publisher, publisher))
    add((publisher, RDF.type, FOAF.Organization))
    add((publisher, FOAF.name, Literal(publication.publisher_name, lang="de")))
    add((dataset, DCTERMS.license, licence))
    add((dataset, DCAT.theme, GOVERNMENT_THEME))
    add((dataset, DCTERMS.language, GERMAN))
    add((dataset, DCTERMS.modified, Literal(modified.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)))
    add((dataset, DCTERMS.conformsTo, URIRef(v.ONTOLOGY_IRI)))
    add((dataset, DCATDE.politicalGeocodingLevelURI, STATE_LEVEL))
    for key in sorted(state_keys):
        add((dataset, DCATDE.politicalGeocodingURI, URIRef(f"{v.GEOCODING}stateKey/{key}")))
    for fmt, media_type in MEDIA_TYPES.items():
        distribution = URIRef(f"{dataset_iri(base)}#distribution-{fmt}")
        url = URIRef(f"{base}export?format={fmt}")
        add((dataset, DCAT.distribution, distribution))
        add((distribution, RDF.type, DCAT.Distribution))
        add((distribution, DCTERMS.title, Literal(f"Gesamtexport als {FORMAT_TITLES[fmt]}", lang="de")))
        add((distribution, DCAT.accessURL, url))
        add((distribution, DCAT.downloadURL, url))
        add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
        add((distribution, DCTERMS["format"], URIRef(FILE_TYPE + FILE_TYPES[fmt])))
        add((distribution, DCTERMS.license, licence))
        add((dataset, VOID.dataDump, url))
    service = URIRef(f"{base}sparql#service")
    add((service, RDF.type, DCAT.DataService))
    add((service, DCTERMS.title, Literal("SPARQL-1.1-Endpunkt (nur lesend)", lang="de")))
    add((service, DCAT.endpointURL, URIRef(f"{base}sparql")))
    add((service, DCAT.servesDataset, dataset))
    add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    add((service, DCTERMS.license, licence))
    add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
    add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    for namespace in v.NAMESPACES.values():
        if namespace not in (v.NAMESPACES["xsd"], v.NAMESPACES["dcatde"]):
            add((dataset, VOID.vocabulary, URIRef(namespace)))
    if example:
        add((dataset, VOID.exampleResource, URIRef(example)))
    if triples is not None:
        add((dataset, VOID.triples, Literal(triples)))
    return graph
