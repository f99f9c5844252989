"""The fields of publiccode.yml v0 in the order and with the types and rules of the reference parser.

The standard (`schema.core.rst` of publiccodeyml/publiccode.yml) defines the keys; the order,
the Go types and the rule strings follow `PublicCodeV0` of italia/publiccode-parser-go (v0.go),
because both decide which finding comes first and how a missing or mistyped value is seen:
a mistyped value of a field leaves the whole top-level field empty, and the rules then see it
as missing. Rule strings use the reference's tag syntax so that each one can be checked
against it by reading: `required`, `omitempty`, `omitnil`, `gt=0`, `oneof=…`, `dive`, …
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import DEVELOPMENT_STATUSES, MAINTENANCE_TYPES, SOFTWARE_TYPES

# Go types as the decoder sees them
STR = "string"            # string: any scalar becomes text, null becomes ""
PSTR = "*string"          # *string: null stays absent
URL = "*URL"              # *URL: text, parsed as a URL
BOOL = "bool"
PBOOL = "*bool"
STRLIST = "[]string"
PSTRLIST = "*[]string"
URLLIST = "UrlOrUrlArray"  # one URL or a list of URLs
PURLLIST = "[]*URL"


@dataclass(frozen=True)
class Struct:
    name: str
    fields: tuple[Field, ...]
    pointer: bool = False


@dataclass(frozen=True)
class ListOf:
    item: Struct
    pointer: bool = False


@dataclass(frozen=True)
class MapOf:
    item: Struct


@dataclass(frozen=True)
class Field:
    key: str
    type: object
    rules: tuple[str, ...] = field(default=())


def _f(key: str, type_: object, rules: str = "") -> Field:
    return Field(key, type_, tuple(rule for rule in rules.split(",") if rule))


def _oneof(values: tuple[str, ...]) -> str:
    return "oneof=" + " ".join(values)


ORGANISATION = Struct("OrganisationV0", (_f("name", PSTR), _f("uri", STR, "required,organisation_uri")))
DESCRIPTION = Struct("DescV0", (
    _f("localisedName", PSTR),
    _f("genericName", STR, "umax=35"),
    _f("shortDescription", STR, "required,umax=150"),
    _f("longDescription", STR, "required,umin=150,umax=10000"),
    _f("documentation", URL, "omitnil,url_http_url"),
    _f("apiDocumentation", URL, "omitnil,url_http_url"),
    _f("features", PSTRLIST, "gt=0,dive"),
    _f("screenshots", STRLIST),
    _f("videos", PURLLIST, "dive,omitnil,url_http_url"),
    _f("awards", STRLIST),
))
CONTRACTOR = Struct("ContractorV0", (
    _f("name", STR, "required"),
    _f("email", PSTR, "omitempty,email"),
    _f("website", URL, "omitnil,url_http_url"),
    _f("until", STR, "required,date"),
))
CONTACT = Struct("ContactV0", (
    _f("name", STR, "required"),
    _f("email", PSTR, "omitempty,email"),
    _f("affiliation", PSTR),
    _f("phone", PSTR, "omitempty"),
))
DEPENDENCY = Struct("DependencyV0", (
    _f("name", STR, "required,gt=0"),
    _f("versionMin", PSTR),
    _f("versionMax", PSTR),
    _f("optional", PBOOL),
    _f("version", PSTR),
))
SUPPORT = Struct("SupportV0", (_f("id", STR, "required,supports_id"),))
IT_SECTION = Struct("ITSectionV0", (
    _f("countryExtensionVersion", PSTR, "omitnil,oneof=0.2 1.0"),
    _f("conforme", Struct("Conforme", (
        _f("lineeGuidaDesign", PBOOL), _f("modelloInteroperabilita", PBOOL),
        _f("misureMinimeSicurezza", PBOOL), _f("gdpr", PBOOL)), pointer=True)),
    _f("riuso", Struct("Riuso", (_f("codiceIPA", STR, "omitempty,is_italian_ipa_code"),))),
    _f("piattaforme", Struct("Piattaforme", (
        _f("spid", BOOL), _f("pagopa", BOOL), _f("cie", BOOL), _f("anpr", BOOL), _f("io", BOOL)))),
), pointer=True)

PUBLICCODE_V0 = Struct("PublicCodeV0", (
    _f("publiccodeYmlVersion", STR, "required"),  # checked before decoding, see validate.py
    _f("name", STR, "required"),
    _f("applicationSuite", STR),
    _f("url", URL, "required,url_url"),
    _f("landingURL", URL, "omitnil,url_http_url"),
    _f("isBasedOn", URLLIST, "omitempty,dive,url_url"),
    _f("softwareVersion", STR),
    _f("releaseDate", PSTR, "omitnil,date"),
    _f("logo", PSTR),
    _f("monochromeLogo", PSTR),
    _f("organisation", Struct("OrganisationV0", ORGANISATION.fields, pointer=True)),
    _f("inputTypes", PSTRLIST, "omitempty,dive,is_mime_type"),
    _f("outputTypes", PSTRLIST, "omitempty,dive,is_mime_type"),
    _f("platforms", STRLIST, "gt=0"),
    _f("categories", PSTRLIST, "omitempty,dive,is_category_v0"),
    _f("usedBy", PSTRLIST),
    _f("fundedBy", ListOf(ORGANISATION, pointer=True), "omitempty,dive"),
    _f("roadmap", URL, "omitnil,url_http_url"),
    _f("developmentStatus", STR, "required," + _oneof(DEVELOPMENT_STATUSES)),
    _f("softwareType", STR, "required," + _oneof(SOFTWARE_TYPES)),
    _f("supports", ListOf(SUPPORT, pointer=True), "omitempty,dive"),
    _f("intendedAudience", Struct("IntendedAudience", (
        _f("scope", PSTRLIST, "omitempty,dive,is_scope_v0"),
        _f("countries", PSTRLIST, "omitempty,dive,iso3166_1_alpha2_lower_or_upper"),
        _f("unsupportedCountries", PSTRLIST, "omitempty,dive,iso3166_1_alpha2_lower_or_upper"),
    ), pointer=True)),
    _f("description", MapOf(DESCRIPTION), "gt=0,bcp47_keys,dive"),
    _f("legal", Struct("Legal", (
        _f("license", STR, "required,is_spdx_expression"),
        _f("mainCopyrightOwner", PSTR),
        _f("repoOwner", PSTR),
        _f("authorsFile", PSTR),
    ))),
    _f("maintenance", Struct("Maintenance", (
        _f("type", STR, "required," + _oneof(MAINTENANCE_TYPES)),
        _f("contractors", ListOf(CONTRACTOR, pointer=True),
           "required_if=Type contract,excluded_unless=Type contract,omitempty,dive"),
        _f("contacts", ListOf(CONTACT, pointer=True),
           "required_if=Type community,required_if=Type internal,omitempty,dive"),
    ))),
    _f("localisation", Struct("Localisation", (
        _f("localisationReady", PBOOL, "required"),
        _f("availableLanguages", STRLIST, "required,gt=0,dive,bcp47_strict_language_tag"),
    ))),
    _f("dependsOn", Struct("DependsOn", (
        _f("open", ListOf(DEPENDENCY, pointer=True), "omitempty,dive"),
        _f("proprietary", ListOf(DEPENDENCY, pointer=True), "omitempty,dive"),
        _f("hardware", ListOf(DEPENDENCY, pointer=True), "omitempty,dive"),
    ), pointer=True)),
    _f("IT", IT_SECTION),
    _f("it", IT_SECTION),
))

SUPPORTED_VERSIONS = ("0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0", "0.5.0", "0.5",
                      "0.7.0", "0.7")
