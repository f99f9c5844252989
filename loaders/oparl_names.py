"""Keys, names, slugs and organisation kinds for OParl objects.

Keys come from the OParl object's `id` URL, never from its name: an OParl id is the object's
permanent address, while names change (a committee is renamed, a body's name gets a suffix), and
a key made from a name turned every renaming into a new node and a 1 MiB name into a 2 MB id.
Every key starts with `oparl-`, a namespace the curated data may not use (see
`record_rules.own_key`), so the two sources can never write the same node. A body's
administration is still *named* after the kind of body ("Stadt" -> "Stadtverwaltung"), and
slugs transliterate German the way the curated ids do (ö -> oe, ß -> ss). Council information
systems rarely fill `organizationType` (Karlsruhe never does), so municipal enterprises are
recognised by legal form and by the words German municipalities name them with; everything else
listed by a body is a council body or an administrative unit of that body.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ß": "ss"})


def slug(text: str) -> str:
    """`Karlsruher Fächer GmbH` -> `karlsruher-faecher-gmbh`."""
    text = unicodedata.normalize("NFKD", text.translate(_GERMAN))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def last_segment(url: str) -> str:
    """The last path segment of an OParl id, as a slug (`.../papers/vo/35558` -> `35558`)."""
    return slug(url.rstrip("/").rsplit("/", 1)[-1]) or slug(url)


OPARL_PREFIX = "oparl-"
# host labels and path segments every OParl server has: they make a key longer, not more readable
_GENERIC_HOST = {"www", "oparl", "ris", "api", "sdnet", "buergerinfo", "ratsinfo"}
_GENERIC_SEGMENT = re.compile(r"^(?:oparl|api|webservice|v\d+(?:-\d+)*|\d+-\d+)$")
_READABLE_LENGTH = 40
_HASH_LENGTH = 10  # 40 bits of SHA-256: the readable part already holds the server's own number


def canonical_iri(url: str) -> str:
    """An OParl id as compared: scheme and host lower-cased (they are case-insensitive), no trailing slash.
    A string that is no URL (`https://[`) is kept as it is: the key is then made from it as text."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def object_key(url: str) -> str:
    """The key of the node an OParl object becomes, from its `id` URL alone.

    `https://web1.karlsruhe.de/oparl/bodies/0001/papers/vo/35760` ->
    `oparl-karlsruhe-papers-vo-35760-<10 hex digits>`: a readable part (the place in the host
    name and the last path segments, at most 40 characters) and a hash of the whole URL, which
    keeps keys apart when the readable parts of two URLs agree or were cut. So the key is
    stable, bounded (at most 57 characters whatever the URL) and slug-safe."""
    iri = canonical_iri(url)
    try:
        parts = urlsplit(iri)
        hostname, path = parts.hostname or "", parts.path
    except ValueError:
        hostname, path = "", iri
    host = [label for label in hostname.split(".")[:-1]
            if label not in _GENERIC_HOST and not re.fullmatch(r"web\d*", label)]
    segments = [slug(s) for s in path.split("/") if slug(s) and not _GENERIC_SEGMENT.match(slug(s))]
    readable = slug("-".join(host[-1:] + segments[-3:]))[:_READABLE_LENGTH].strip("-")
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    return f"{OPARL_PREFIX}{readable}-{digest}" if readable else f"{OPARL_PREFIX}{digest}"


# ---- bodies -------------------------------------------------------------------------------
# Bodies whose OParl API gives no Body object in a dump, or no AGS: name and official key.
KNOWN_BODIES: dict[str, tuple[str, str | None]] = {
    "https://web1.karlsruhe.de/oparl/bodies/0001": ("Stadt Karlsruhe", "08212000"),
}

# first word(s) of a body's name -> the name of its administration
_ADMINISTRATION = (
    (re.compile(r"^(?:Landeshauptstadt|Hansestadt|Universitätsstadt|Große Kreisstadt|Kreisstadt|Stadt)\s+"),
     "Stadtverwaltung"),
    (re.compile(r"^(?:Gemeinde|Markt|Marktgemeinde)\s+"), "Gemeindeverwaltung"),
    (re.compile(r"^(?:Landkreis|Kreis)\s+"), "Kreisverwaltung"),
    (re.compile(r"^(?:Samtgemeinde|Verbandsgemeinde)\s+"), "Verwaltung der Samtgemeinde"),
)


@dataclass(frozen=True)
class BodyNames:
    name: str  # "Stadt Karlsruhe"
    place: str  # "Karlsruhe"
    administration: str  # "Stadtverwaltung Karlsruhe"


def body_names(name: str, short_name: str | None = None) -> BodyNames:
    """Names derived from a Body (`Stadt Köln, kreisfreie Stadt` -> place Köln, Stadtverwaltung Köln)."""
    main = name.split(",")[0].strip()
    place = main
    administration = None
    for pattern, prefix in _ADMINISTRATION:
        match = pattern.match(main)
        if match:
            place = main[match.end():].strip()
            administration = prefix
            break
    place = (short_name or "").strip() or place
    return BodyNames(name=name, place=place, administration=f"{administration or 'Verwaltung'} {place}")


# ---- organisations ------------------------------------------------------------------------
_LEGAL_FORMS = (  # (pattern in the name, legal form stored), most specific first
    (r"\bgGmbH\b", "gGmbH"), (r"\bGmbH\s*&\s*Co\.?\s*KG\b", "GmbH & Co. KG"), (r"\b(?:GmbH|mbH)\b", "GmbH"),
    (r"\bgAG\b", "gAG"), (r"\bAG\b", "AG"), (r"\bAöR\b|\bAnstalt des öffentlichen Rechts\b", "AöR"),
    (r"\bKdöR\b|\bKöR\b", "KöR"), (r"\beG\b", "eG"), (r"\be\.\s?V\.", "e. V."), (r"\bEigenbetrieb", "Eigenbetrieb"),
    (r"\bZweckverband\b", "Zweckverband"),
)
# words that make a name a municipal enterprise even without a legal form
_ENTERPRISE_WORDS = re.compile(
    r"\b(?:Stadtwerke|Verkehrsbetriebe|Verkehrsverbund|Bäderbetriebe|Verkehrs-?\s*gesellschaft|Klinikum|Krankenhaus"
    r"|Messe\b|Entsorgungsbetriebe?|Abwasserbetriebe?|Flughafen|Sparkasse|\w*wohnung(?:sbau)?(?:gesellschaft)?\b)",
    re.IGNORECASE)
# administrative units: an office is not an enterprise even if its name mentions one ("Amt für Wohnung")
_UNIT_WORDS = re.compile(r"amt\b|Dezernat|Stabsstelle|Referat|Fachbereich|Büro\b|beauftragte|verwaltung\b|direktion"
                         r"|Kämmerei|Dienst\b", re.IGNORECASE)
# the staff's own representation and offices serving the council groups belong to the administration, even
# though their names sound like council bodies (Gesamtpersonalrat, Fraktionsgeschäftsstelle)
_STAFF_BODY = re.compile(r"personalrat|betriebsrat|geschäftsstelle", re.IGNORECASE)
# council bodies: checked first, so "Betriebsausschuss Eigenbetrieb ..." is a committee, not the enterprise
_COUNCIL_WORDS = re.compile(r"rat\b|rat\s|ausschuss|beirat|kommission|fraktion|gremium|versammlung|kreistag",
                            re.IGNORECASE)
# the council of the whole body, as opposed to a district's Ortschaftsrat or a session series of it
MAIN_COUNCIL = re.compile(r"^(?:Gemeinderat|Stadtrat|Kreistag|Rat|Rat der (?:Stadt|Gemeinde) .+"
                          r"|Stadtverordnetenversammlung|Gemeindevertretung)$")
_ELECTED_COUNCIL = re.compile(r"^(?:Gemeinderat|Stadtrat|Ortschaftsrat|Ortsbeirat|Bezirksrat|Kreistag|Rat"
                              r"|Stadtverordnetenversammlung|Gemeindevertretung)\b")
# OParl organizationType values (spec list) -> kind; others fall through to the name
_TYPE_KINDS = {"gremium": "COMMITTEE", "verwaltungsbereich": "DEPARTMENT", "fraktion": "COMMITTEE",
               "partei": "CIVIL_SOCIETY", "externes gremium": "NETWORK"}


@dataclass(frozen=True)
class OrgKind:
    kind: str  # one of graph_api.model.ORGANIZATION_KINDS
    legal_form: str | None

    @property
    def is_enterprise(self) -> bool:
        return self.kind in ("PUBLIC_ENTERPRISE", "COMPANY")

    @property
    def is_part_of_body(self) -> bool:
        """A unit of the body's administration (a council and its committees are not)."""
        return self.kind == "DEPARTMENT"


def legal_form(name: str) -> str | None:
    for pattern, form in _LEGAL_FORMS:
        if re.search(pattern, name):
            return form
    return None


def classify(name: str, organization_type: str | None = None, classification: str | None = None) -> OrgKind:
    """Kind of an organisation a body lists: elected council, committee (or other council body),
    administrative unit or municipal enterprise.

    Enterprises a council information system lists are the municipality's own (it keeps them
    for their supervisory boards and Betriebsausschüsse), hence PUBLIC_ENTERPRISE, not COMPANY.
    """
    form = legal_form(name)
    declared = _TYPE_KINDS.get((organization_type or "").strip().lower())
    text = f"{name} {classification or ''}"
    if _ELECTED_COUNCIL.match(name):
        return OrgKind("COUNCIL", None)
    if _STAFF_BODY.search(name):
        return OrgKind("DEPARTMENT", None)
    if declared == "COMMITTEE" or _COUNCIL_WORDS.search(text):
        return OrgKind("COMMITTEE", None)
    if declared == "DEPARTMENT":
        return OrgKind("DEPARTMENT", None)
    if declared:
        return OrgKind(declared, form)
    if form:
        return OrgKind("PUBLIC_ENTERPRISE", form)
    if not _UNIT_WORDS.search(name) and _ENTERPRISE_WORDS.search(name):
        return OrgKind("PUBLIC_ENTERPRISE", None)
    return OrgKind("DEPARTMENT", None)
