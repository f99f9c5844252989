"""Names, slugs and organisation kinds for OParl objects.

Ids must come out the same on every load (so a reload is idempotent) and must meet the ids
the curated data already uses: the administration of "Stadt Karlsruhe" is
`Organization:stadtverwaltung-karlsruhe` there, so a body's administration is named after the
kind of body ("Stadt" -> "Stadtverwaltung"), and slugs transliterate German the way the
curated ids do (ö -> oe, ß -> ss). Council information systems rarely fill `organizationType`
(Karlsruhe never does), so municipal enterprises are recognised by legal form and by the
words German municipalities name them with; everything else listed by a body is a council
body or an administrative unit of that body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ß": "ss"})


def slug(text: str) -> str:
    """`Karlsruher Fächer GmbH` -> `karlsruher-faecher-gmbh`."""
    text = unicodedata.normalize("NFKD", text.translate(_GERMAN))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def last_segment(url: str) -> str:
    """The last path segment of an OParl id, as a slug (`.../papers/vo/35558` -> `35558`)."""
    return slug(url.rstrip("/").rsplit("/", 1)[-1]) or slug(url)


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

    @property
    def place_slug(self) -> str:
        return slug(self.place)

    @property
    def administration_id(self) -> str:
        return f"Organization:{slug(self.administration)}"

    @property
    def source_prefix(self) -> str:
        return f"oparl-{self.place_slug}"


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
# council bodies: checked first, so "Betriebsausschuss Eigenbetrieb ..." is a committee, not the enterprise
_COUNCIL_WORDS = re.compile(r"rat\b|rat\s|ausschuss|beirat|kommission|fraktion|gremium|versammlung|kreistag",
                            re.IGNORECASE)
_ELECTED_COUNCIL = re.compile(r"^(?:Gemeinderat|Stadtrat|Ortschaftsrat|Ortsbeirat|Bezirksrat|Kreistag|Rat)\b")
# OParl organizationType values (spec list) -> kind; others fall through to the name
_TYPE_KINDS = {"gremium": "DEPARTMENT", "verwaltungsbereich": "DEPARTMENT", "fraktion": "DEPARTMENT",
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
        return self.kind in ("ADMINISTRATION", "DEPARTMENT")


def legal_form(name: str) -> str | None:
    for pattern, form in _LEGAL_FORMS:
        if re.search(pattern, name):
            return form
    return None


def classify(name: str, organization_type: str | None = None, classification: str | None = None) -> OrgKind:
    """Kind of an organisation a body lists: council body, administrative unit or municipal enterprise.

    Enterprises a council information system lists are the municipality's own (it keeps them
    for their supervisory boards and Betriebsausschüsse), hence PUBLIC_ENTERPRISE, not COMPANY.
    """
    form = legal_form(name)
    declared = _TYPE_KINDS.get((organization_type or "").strip().lower())
    text = f"{name} {classification or ''}"
    if _ELECTED_COUNCIL.match(name):
        return OrgKind("ADMINISTRATION", None)
    if declared == "DEPARTMENT" or _COUNCIL_WORDS.search(text):
        return OrgKind("DEPARTMENT", None)
    if declared:
        return OrgKind(declared, form)
    if form:
        return OrgKind("PUBLIC_ENTERPRISE", form)
    if not _UNIT_WORDS.search(name) and _ENTERPRISE_WORDS.search(name):
        return OrgKind("PUBLIC_ENTERPRISE", None)
    return OrgKind("DEPARTMENT", None)


def org_slug(name: str, place_slug: str) -> str:
    """`Gemeinderat` -> `gemeinderat-karlsruhe`; a name that already names the place keeps its own slug."""
    own = slug(name)
    if any(part.startswith(place_slug) for part in own.split("-")):
        return own
    return f"{own}-{place_slug}" if own else place_slug
