"""The value rules of publiccode.yml v0, one function each, as the reference parser applies them.

Each rule answers True/False for one value; `validate` turns a False into the located finding.
Where the reference parser uses a registry (SPDX licences, ISO 3166 countries, the IANA language
subtag registry, Italian iPA codes, oEmbed providers), a well-kept library or the parser's own data
file stands in for it: `license-expression` (SPDX), `pycountry` (ISO 3166-1), `langcodes` (IANA
registry), `data/ipa_codes.txt.gz` and `data/oembed_schemes.json` (copied from the reference
parser, EUPL-1.2 like copgraph). Grapheme clusters are counted with `regex`'s `\\X`, as the
reference counts them with uniseg.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import langcodes
import pycountry
import regex
from license_expression import get_spdx_licensing

CATEGORIES_V0 = frozenset((
    "accounting", "agile-project-management", "applicant-tracking", "application-development",
    "appointment-scheduling", "backup", "billing-and-invoicing", "blog", "budgeting", "business-intelligence",
    "business-process-management", "cad", "call-center-management", "cloud-management", "collaboration",
    "communications", "compliance-management", "contact-management", "content-management", "crm",
    "customer-service-and-support", "data-analytics", "data-collection", "data-visualization", "design",
    "design-system", "digital-asset-management", "digital-citizenship", "document-management",
    "donor-management", "e-commerce", "e-signature", "educational-content", "email-management",
    "email-marketing", "employee-management", "enterprise-project-management", "enterprise-social-networking",
    "erp", "event-management", "facility-management", "feedback-and-reviews-management", "financial-reporting",
    "fleet-management", "fundraising", "gamification", "geographic-information-systems", "grant-management",
    "graphic-design", "help-desk", "hr", "ide", "identity-management", "instant-messaging",
    "integrated-library-system", "inventory-management", "it-asset-management", "it-development",
    "it-management", "it-security", "it-service-management", "knowledge-management",
    "learning-management-system", "marketing", "mind-mapping", "mobile-marketing", "mobile-payment",
    "network-management", "office", "online-booking", "online-community", "payment-gateway", "payroll",
    "predictive-analysis", "procurement", "productivity-suite", "project-collaboration", "project-management",
    "property-management", "real-estate-management", "regulations-and-directives", "remote-support",
    "resource-management", "sales-management", "seo", "service-desk", "social-media-management", "survey",
    "talent-management", "task-management", "taxes-management", "test-management", "time-management",
    "time-tracking", "translation", "video-conferencing", "video-editing", "visitor-management", "voip",
    "warehouse-management", "web-collaboration", "web-conferencing", "whistleblowing", "website-builder",
    "workflow-management", "other",
))

SCOPES_V0 = frozenset((
    "agriculture", "culture", "defence", "education", "emergency-services", "employment", "energy",
    "environment", "finance-and-economic-development", "foreign-affairs", "government", "healthcare",
    "infrastructures", "justice", "local-authorities", "manufacturing", "research", "science-and-technology",
    "security", "society", "sport", "tourism", "transportation", "welfare",
))

# the standard's aliases-list (supports[].id = "alias:<name>")
SUPPORTS_ALIASES_V0 = frozenset({"gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io"})

DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = ("standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
                  "standalone/backend", "standalone/other", "addon", "library", "configurationFiles")
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$", re.DOTALL)
_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:[a-z0-9()+,\-.:=@;$_!*'%/?#]+$", re.IGNORECASE)
_MIME = re.compile(r"^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# local@domain.tld without spaces: the reference's RFC 5322 pattern accepts a little more (quoted
# local parts); no publiccode.yml contact needs those
_EMAIL = re.compile(r"^[^\s@\"(),:;<>\[\\\]]+(\.[^\s@\"(),:;<>\[\\\]]+)*@([^\s@.]+\.)+[^\s@.]+\.?$")
_BCP47 = re.compile(
    r"^(?:(?P<private>x(?:-[a-z0-9]{1,8})+)"
    r"|(?P<lang>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<variant>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)"
    r"(?P<extension>(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)(?:-x(?:-[a-z0-9]{1,8})+)?)$")


def grapheme_count(text: str) -> int:
    """User-perceived characters, as the reference's `umin`/`umax` count them (uniseg)."""
    return len(regex.findall(r"\X", text))


def is_date(text: str) -> bool:
    """YYYY-MM-DD and a real calendar day (Go's time.Parse("2006-01-02"))."""
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _split_url(text: str) -> tuple[str, str, str, str] | None:
    """(scheme, host, opaque, fragment) the way Go's url.Parse sees a URL; None if it has no scheme."""
    match = _SCHEME.match(text)
    if not match or re.search(r"[\x00-\x1f\x7f ]", text):
        return None
    scheme, rest = match.group(1).lower(), match.group(2)
    rest, _, fragment = rest.partition("#")
    if rest.startswith("//"):
        return scheme, urlsplit("//" + rest[2:]).netloc.rpartition("@")[2], "", fragment
    if rest.startswith("/"):
        return scheme, "", "", fragment
    return scheme, "", rest.partition("?")[0], fragment


def is_url(text: str) -> bool:
    """go-playground's `url`: a scheme, and a host, fragment or opaque part (file: needs a path)."""
    parts = _split_url(text.lower())
    if parts is None or not text:
        return False
    scheme, host, opaque, fragment = parts
    if scheme == "file":
        path = text.split(":", 1)[1].lstrip("/")
        return bool(path)
    return bool(host or fragment or opaque)


def is_http_url(text: str) -> bool:
    """go-playground's `http_url`: a URL with a host and the scheme http or https."""
    parts = _split_url(text.lower())
    return is_url(text) and parts is not None and bool(parts[1]) and parts[0] in ("http", "https")


def _request_uri(text: str) -> tuple[str, str] | None:
    """(scheme, host) for an absolute URI as Go's url.ParseRequestURI accepts it."""
    parts = _split_url(text)
    if parts is None or "#" in text:
        return None
    scheme, host, opaque, _ = parts
    return scheme, host


@cache
def _ipa_codes() -> frozenset[str]:
    raw = resources.files(__package__).joinpath("data/ipa_codes.txt.gz").read_bytes()
    return frozenset(line.strip().lower() for line in gzip.decompress(raw).decode().splitlines() if line.strip())


def is_italian_ipa_code(text: str) -> bool:
    return text.lower() in _ipa_codes()


def is_organisation_uri(text: str) -> bool:
    """A URL with a host, or an RFC 2141 URN; `urn:x-italian-pa:` URNs must name a known iPA code."""
    parts = _request_uri(text)
    if parts is None:
        return False
    scheme, host = parts
    if scheme == "urn":
        if not _URN.match(text):
            return False
        opaque = text.split(":", 1)[1]
        if opaque.lower().startswith("x-italian-pa:"):
            return is_italian_ipa_code(opaque[len("x-italian-pa:"):])
        return True
    return bool(host)


def is_supports_id(text: str) -> bool:
    if text.startswith("alias:"):
        return text[len("alias:"):] in SUPPORTS_ALIASES_V0
    parts = _request_uri(text)
    if parts is None:
        return False
    return bool(_URN.match(text)) if parts[0] == "urn" else bool(parts[1])


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def is_mime_type(text: str) -> bool:
    return bool(_MIME.match(text))


@cache
def _licensing():  # noqa: ANN202 - license_expression's Licensing
    return get_spdx_licensing()


def is_spdx_expression(text: str) -> bool:
    """An SPDX licence expression (`AGPL-3.0-or-later`, `MIT OR Apache-2.0`, `... WITH ...`)."""
    if not text.strip():
        return False
    try:
        result = _licensing().validate(text, strict=True)
    except Exception:  # noqa: BLE001 - the library raises several parse error types
        return False
    return not result.errors


@cache
def _countries() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_country_lower_or_upper(text: str) -> bool:
    """An ISO 3166-1 alpha-2 code, all upper or all lower case (lower case is deprecated)."""
    if text not in (text.lower(), text.upper()):
        return False
    return text.upper() in _countries()


def is_bcp47_language(text: str) -> bool:
    """A BCP 47 tag whose subtags are registered with IANA, the language in its shortest form
    (go-playground's `bcp47_strict_language_tag`: `en-GB` yes, `en_GB`, `eng`, `xxx` no)."""
    lower = text.lower()
    match = _BCP47.match(lower)
    if not match:
        return False
    if match.group("private"):
        return True
    language = match.group("lang")
    if len(language.split("-")[0]) > 3:
        return False
    base = language.split("-")[0]
    try:
        if langcodes.standardize_tag(base) != base:
            return False
        return langcodes.tag_is_valid(lower)
    except (ValueError, LookupError):
        return False


@cache
def _oembed_patterns() -> tuple[re.Pattern[str], ...]:
    schemes = json.loads(resources.files(__package__).joinpath("data/oembed_schemes.json").read_text())
    return tuple(re.compile("^" + re.escape(scheme).replace(r"\*", ".*") + "$") for scheme in schemes)


def is_oembed_url(text: str) -> bool:
    """A video link of a known oEmbed provider (the reference parser's copy of oembed.com's list)."""
    return any(pattern.match(text) for pattern in _oembed_patterns())
