"""Validate a publiccode.yml (version 0) the way the reference parser does, without the network.

The reference (italia/publiccode-parser-go) works in three passes, and so does this module:
1. **decode** the YAML into typed fields. A value of the wrong type is reported once ("wrong type
   for this field", the first one in field order) and leaves its whole top-level field empty;
   an unknown key is reported when nothing else was; positions come from the syntax tree.
2. **rules** per field (`schema.py`), in field order, at most one finding per field.
3. **file checks**: deprecations (warnings), local logo/screenshot/authors files, video links.
Checks that need the network (is the URL reachable, is it a code repository, do remote images
load) are not made; each one that would have been made is listed in `Result.skipped`.

A finding has the reference's key path ("maintenance.contacts[0].email"), message, line and
column. Errors refuse the file; warnings (deprecated keys) do not.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks
from .schema import (
    BOOL,
    PBOOL,
    PSTR,
    PSTRLIST,
    PUBLICCODE_V0,
    PURLLIST,
    STR,
    STRLIST,
    SUPPORTED_VERSIONS,
    URL,
    URLLIST,
    ListOf,
    MapOf,
    Struct,
)
from .yaml_ast import Document, Node, YamlProblem, find_key_at_line, find_key_position, parse

# a publiccode.yml is a few kilobytes; the longest description allowed is 10,000 characters per language
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Finding:
    key: str
    message: str
    line: int
    column: int
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning" if self.warning else "error"
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.key or '(file)'}: {self.message} [{kind}]"


@dataclass(frozen=True)
class SkippedCheck:
    """A check the reference parser makes over the network, not made here."""

    key: str
    check: str
    line: int


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[SkippedCheck] = field(default_factory=list)
    data: dict[str, Any] | None = None  # the decoded fields (valid files only are imported)
    document: Document | None = None

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.warning]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.warning]

    @property
    def valid(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------
# pass 1: decoding


@dataclass(frozen=True)
class _DecodeError:
    line: int
    message: str


def _type_error(node: Node) -> _DecodeError:
    return _DecodeError(node.line, "wrong type for this field")


def _is_pointer(type_: object) -> bool:
    return type_ in (PSTR, URL, PBOOL, PSTRLIST) or (isinstance(type_, (Struct, ListOf)) and type_.pointer)


def zero(type_: object) -> Any:
    """Go's zero value: "" for text, False for bool, a struct of zeros, None (nil) for the rest."""
    if type_ == STR:
        return ""
    if type_ == BOOL:
        return False
    if isinstance(type_, Struct) and not type_.pointer:
        return {f.key: zero(f.type) for f in type_.fields}
    return None


def go_string(value: Any) -> str:
    """How go-yaml writes a scalar into a string field (1.0 -> "1", true -> "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "+Inf" if value > 0 else "-Inf"
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def _decode(node: Node, type_: object) -> tuple[Any, _DecodeError | None]:
    if node.kind == "null":
        return zero(type_), None
    if type_ in (STR, PSTR, URL):
        return (go_string(node.value), None) if node.kind == "scalar" else (None, _type_error(node))
    if type_ in (BOOL, PBOOL):
        ok = node.kind == "scalar" and isinstance(node.value, bool)
        return (node.value, None) if ok else (None, _type_error(node))
    if type_ in (STRLIST, PSTRLIST, PURLLIST):
        if node.kind != "seq":
            return None, _type_error(node)
        item_type = PSTR if type_ == PURLLIST else STR
        return _decode_items(node, item_type)
    if type_ == URLLIST:  # UrlOrUrlArray: a list of URLs, else one URL
        if node.kind == "seq":
            items, error = _decode_items(node, PSTR)
            if error is None:
                return items, None
        single, error = _decode(node, URL)
        return ([single], None) if error is None else (None, error)
    if isinstance(type_, Struct):
        return _decode_struct(node, type_)
    if isinstance(type_, ListOf):
        if node.kind != "seq":
            return None, _type_error(node)
        return _decode_items(node, type_.item)
    if isinstance(type_, MapOf):
        if node.kind != "map":
            return None, _type_error(node)
        result: dict[str, Any] = {}
        first: _DecodeError | None = None
        for entry in node.value:
            value, error = _decode(entry.value, type_.item)
            first = first or error
            result[entry.key] = value
        return result, first
    raise TypeError(f"unknown field type {type_!r}")


def _decode_items(node: Node, item_type: object) -> tuple[list[Any], _DecodeError | None]:
    items: list[Any] = []
    first: _DecodeError | None = None
    for item in node.value:
        value, error = _decode(item, item_type)
        if error is not None:
            first = first or error
            continue
        items.append(value)
    return items, first


def _decode_struct(node: Node, struct: Struct) -> tuple[dict[str, Any] | None, _DecodeError | None]:
    """Fields in the struct's order; a field that fails stays zero and the first failure is returned
    (go-yaml keeps decoding the other fields, so later required-field rules still see them)."""
    if node.kind != "map":
        return None, _type_error(node)
    by_key = {entry.key: entry for entry in node.value}
    result = zero(Struct(struct.name, struct.fields))
    first: _DecodeError | None = None
    for f in struct.fields:
        entry = by_key.get(f.key)
        if entry is None:
            continue
        value, error = _decode(entry.value, f.type)
        if error is not None:
            first = first or error
            continue
        result[f.key] = value
    if first is None:
        known = {f.key for f in struct.fields}
        for entry in node.value:
            if entry.key not in known:
                return result, _DecodeError(entry.line, f'unknown field "{entry.key}"')
    return result, first


# ---------------------------------------------------------------------------------------------
# pass 2: the rules of each field

_RUN_WHEN_NIL = {"required_if", "excluded_unless"}
_MAP_KEY = re.compile(r"\[([A-Za-z]+)\]")


def _has_value(value: Any, pointer: bool = False) -> bool:
    """go-playground's hasValue: a set pointer has a value even when it points to false or ""."""
    if pointer:
        return value is not None
    if value is None or value is False:
        return False
    return value != "" if isinstance(value, str) else True


def _length(value: Any) -> int:
    return len(value) if value is not None else 0


def _oneof_text(param: str) -> str:
    quoted = [f'"{value}"' for value in param.split()]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


_MESSAGES = {
    "required": "{0} is a required field",
    "umax": "{0} must be a maximum of {1} characters in length",
    "umin": "{0} must be at least {1} characters in length",
    "url_http_url": "{0} must be an HTTP URL",
    "url_url": "{0} must be a valid URL",
    "date": "{0} must be a date with format 'YYYY-MM-DD'",
    "email": "{0} must be a valid email address",
    "is_mime_type": "{0} is not a valid MIME type",
    "is_spdx_expression": "{0} must be a valid license (see https://spdx.org/licenses)",
    "is_category_v0": "{0} must be a valid category (see https://github.com/publiccodeyml/publiccode.yml/blob/main/"
                      "docs/standard/categories-list.rst)",
    "is_scope_v0": "{0} must be a valid scope (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/"
                   "standard/scope-list.rst)",
    "is_italian_ipa_code": "{0} must be a valid Italian Public Administration Code (iPA) (see "
                           "https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary)",
    "iso3166_1_alpha2_lower_or_upper": "{0} must be a valid ISO 3166-1 alpha-2 two-letter country code",
    "bcp47_strict_language_tag": "{0} must be a valid BCP 47 language",
    "bcp47_keys": "{0} must be a valid BCP 47 language",
}


def _message(rule: str, param: str, name: str, value: Any) -> str:
    if rule == "gt":
        return f"{name} must contain more than {param} items" if not isinstance(value, str) else \
            f"{name} must be greater than {param} characters in length"
    if rule == "oneof":
        return f"{name} must be one of the following: {_oneof_text(param)}"
    if rule in ("required_if", "excluded_unless"):
        other, wanted = param.split()
        verb = "is a required field when" if rule == "required_if" else "must not be present unless"
        return f'{name} {verb} "{other.lower()}" is "{wanted}"'
    if rule == "organisation_uri":
        if isinstance(value, str) and value.startswith("urn:x-italian-pa:"):
            return (f"{name} must be a valid Italian Public Administration Code (iPA) with format "
                    "'urn:x-italian-pa:[codiceIPA]' (see https://github.com/publiccodeyml/"
                    "italian-organizations-ipa-vocabulary)")
        return f"{name} is not a valid URI"
    if rule == "supports_id":
        if isinstance(value, str) and value.startswith("alias:"):
            return (f"{name} contains an unknown alias (see https://github.com/publiccodeyml/publiccode.yml/"
                    "blob/main/docs/standard/aliases-list.rst)")
        return f"{name} must be a known alias ('alias:<name>') or a valid URI (URL or URN)"
    return _MESSAGES[rule].format(name, param)


_TEXT_RULES = {
    "umax": lambda v, p: checks.grapheme_count(v) <= int(p),
    "umin": lambda v, p: checks.grapheme_count(v) >= int(p),
    "url_http_url": lambda v, p: checks.is_http_url(v),
    "url_url": lambda v, p: checks.is_url(v),
    "date": lambda v, p: checks.is_date(v),
    "email": lambda v, p: checks.is_email(v),
    "is_mime_type": lambda v, p: checks.is_mime_type(v),
    "is_spdx_expression": lambda v, p: checks.is_spdx_expression(v),
    "is_category_v0": lambda v, p: v in checks.CATEGORIES_V0,
    "is_scope_v0": lambda v, p: v in checks.SCOPES_V0,
    "is_italian_ipa_code": lambda v, p: checks.is_italian_ipa_code(v),
    "iso3166_1_alpha2_lower_or_upper": lambda v, p: checks.is_country_lower_or_upper(v),
    "bcp47_strict_language_tag": lambda v, p: checks.is_bcp47_language(v),
    "organisation_uri": lambda v, p: checks.is_organisation_uri(v),
    "supports_id": lambda v, p: checks.is_supports_id(v),
    "oneof": lambda v, p: v in p.split(),
}


def _passes(rule: str, param: str, value: Any, parent: dict[str, Any], pointer: bool) -> bool:
    if rule == "required":
        return _has_value(value, pointer)
    if rule == "gt":
        return (len(value) if isinstance(value, str) else _length(value)) > int(param)
    if rule == "required_if":
        other, wanted = param.split()
        return parent.get(other.lower()) != wanted or _has_value(value, pointer)
    if rule == "excluded_unless":
        other, wanted = param.split()
        return parent.get(other.lower()) == wanted or not _has_value(value, pointer)
    if rule == "bcp47_keys":
        return all(checks.is_bcp47_language(key) for key in (value or {}))
    text = value if isinstance(value, str) else ""
    return _TEXT_RULES[rule](text, param)


class _RuleChecker:
    def __init__(self) -> None:
        self.failures: list[tuple[str, str]] = []  # (namespace, message)

    def struct(self, struct: Struct, value: dict[str, Any], prefix: str) -> None:
        for f in struct.fields:
            self.field(f.type, f.rules, value.get(f.key), value, prefix + f.key)

    def field(self, type_: object, rules: tuple[str, ...], value: Any, parent: dict[str, Any], ns: str) -> None:
        pointer = _is_pointer(type_)
        if pointer and value is None:
            if not rules or rules[0] in ("omitempty", "omitnil"):
                return
            name = rules[0].partition("=")[0]
            if name not in _RUN_WHEN_NIL:
                self._fail(rules[0], value, ns)
                return
        for index, rule in enumerate(rules):
            name, _, param = rule.partition("=")
            if name == "omitempty":
                if not _has_value(value, pointer):
                    return
                continue
            if name == "omitnil":
                if value is None:
                    return
                continue
            if name == "dive":
                self._dive(type_, rules[index + 1:], value, parent, ns)
                return
            if not _passes(name, param, value, parent, pointer):
                self._fail(rule, value, ns)
                return
        if isinstance(type_, Struct) and value is not None:
            self.struct(type_, value, ns + ".")

    def _dive(self, type_: object, rules: tuple[str, ...], value: Any, parent: dict[str, Any], ns: str) -> None:
        if isinstance(type_, MapOf):
            for key, item in (value or {}).items():
                self.field(type_.item, rules, item, parent, f"{ns}[{key}]")
            return
        item_type = type_.item if isinstance(type_, ListOf) else (PSTR if type_ in (URLLIST, PURLLIST) else STR)
        for index, item in enumerate(value or []):
            self.field(item_type, rules, item, parent, f"{ns}[{index}]")

    def _fail(self, rule: str, value: Any, ns: str) -> None:
        name, _, param = rule.partition("=")
        self.failures.append((ns, _message(name, param, ns.rsplit(".", 1)[-1], value)))


# ---------------------------------------------------------------------------------------------
# pass 3: deprecations, local files, video links

_DEPRECATED_SAFE_TO_DROP = "This key is DEPRECATED and will be removed in the future. It's safe to drop it"
_LOGO_EXTENSIONS = (".svg", ".svgz", ".png")
_SCREENSHOT_EXTENSIONS = (".jpg", ".png")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _is_absolute_url(text: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text)) and "#" not in text and " " not in text


def _png_problem(path: Path) -> str | None:
    """Go's image.DecodeConfig on a .png: the signature and the IHDR chunk must be there."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if not head.startswith(_PNG_SIGNATURE):
        return "image: unknown format"
    if head[12:16] != b"IHDR":
        return "png: invalid format: missing IHDR chunk"
    return None


class _FileChecker:
    def __init__(self, data: dict[str, Any], base_dir: Path | None):
        self.data, self.base_dir = data, base_dir
        self.results: list[tuple[str, str, bool]] = []  # (key, message, warning)
        self.skipped: list[tuple[str, str]] = []

    def error(self, key: str, message: str) -> None:
        self.results.append((key, message, False))

    def warn(self, key: str, message: str) -> None:
        self.results.append((key, message, True))

    def _local(self, text: str, key: str) -> Path | None:
        """The local file a relative reference names; None (and a finding or a skipped check) otherwise."""
        if text.startswith("/"):
            self.error(key, "is an absolute path. Only relative paths or HTTP(s) URLs allowed")
            return None
        if text.startswith("file:"):
            self.error(key, "is a file:// URL. Only relative paths or HTTP(s) URLs allowed")
            return None
        if _is_absolute_url(text):
            self.skipped.append((key, f"download and check {text}"))
            return None
        if self.base_dir is None:
            self.skipped.append((key, f"check {text} (no folder to resolve it against)"))
            return None
        return Path(self.base_dir, text).absolute()

    def logo(self, key: str) -> None:
        text = self.data.get(key)
        if not text:
            return
        if key == "monochromeLogo":
            self.warn(key, "This key is DEPRECATED and will be removed in the future. Use 'logo' instead")
        path = self._local(text, key)
        if path is None:
            return
        if path.suffix.lower() not in _LOGO_EXTENSIONS:
            self.error(key, f"invalid file extension for: {path}")
        elif not path.is_file():
            self.error(key, f"no such file: {path}")
        elif path.suffix.lower() == ".png" and (problem := _png_problem(path)):
            self.error(key, problem)

    def run(self) -> None:
        data = self.data
        if data.get("url"):
            self.skipped.append(("url", f"is {data['url']} reachable and a code repository"))
        for key in ("landingURL", "roadmap"):
            if data.get(key):
                self.skipped.append((key, f"is {data[key]} reachable"))
        self.logo("logo")
        self.logo("monochromeLogo")
        audience = data.get("intendedAudience") or {}
        for list_key in ("countries", "unsupportedCountries"):
            for index, code in enumerate(audience.get(list_key) or []):
                if checks.is_country_lower_or_upper(code) and code == code.lower():
                    self.warn(f"intendedAudience.{list_key}[{index}]",
                              f"Lowercase country codes are DEPRECATED. Use uppercase instead ('{code.upper()}')")
        legal = data.get("legal") or {}
        if legal.get("authorsFile") is not None:
            self.warn("legal.authorsFile", _DEPRECATED_SAFE_TO_DROP)
            path = self._local(legal["authorsFile"], "legal.authorsFile")
            if path is not None and not path.exists():
                self.error("legal.authorsFile", f"'{path}' does not exist: no such file: {path}")
        if legal.get("repoOwner") is not None:
            self.warn("legal.repoOwner",
                      "This key is DEPRECATED and will be removed in the future. Use 'organisation.name' instead")
        for key in ("inputTypes", "outputTypes"):
            if data.get(key) is not None:
                self.warn(key, _DEPRECATED_SAFE_TO_DROP)
        for lang, desc in (data.get("description") or {}).items():
            self.description(lang, desc)
        self.country_section()

    def description(self, lang: str, desc: dict[str, Any]) -> None:
        if desc.get("genericName"):
            self.warn(f"description.{lang}.genericName", _DEPRECATED_SAFE_TO_DROP)
        for key in ("documentation", "apiDocumentation"):
            if desc.get(key) is not None:
                self.skipped.append((f"description.{lang}.{key}", f"is {desc[key]} reachable"))
        for index, shot in enumerate(desc.get("screenshots") or []):
            key = f"description.{lang}.screenshots[{index}]"
            path = self._local(shot, key)
            if path is None:
                continue
            if path.suffix.lower() not in _SCREENSHOT_EXTENSIONS:
                self.error(key, f"'{shot}' is not an image: invalid file extension for: {path}")
            elif not path.is_file():
                self.error(key, f"'{shot}' is not an image: no such file: {path}")
        for index, video in enumerate(desc.get("videos") or []):
            if video is not None and not checks.is_oembed_url(video):
                self.error(f"description.{lang}.videos[{index}]",
                           f"'{video}' is not a valid video URL supporting oEmbed: invalid oEmbed link: {video}")

    def country_section(self) -> None:
        upper, lower = self.data.get("IT"), self.data.get("it")
        section = upper
        if lower is not None:
            self.warn("it", "Lowercase country codes are DEPRECATED and will be removed in the future. "
                            "Use 'IT' instead")
            section = lower
        if upper is not None and lower is not None:
            self.error("it", "'IT' key already present. Remove this key")
            section = upper
        if section is None:
            return
        if section.get("conforme") is not None:
            self.warn("IT.conforme", _DEPRECATED_SAFE_TO_DROP)
        code = (section.get("riuso") or {}).get("codiceIPA") or ""
        if code and checks.is_italian_ipa_code(code):
            self.warn("IT.riuso.codiceIPA", "This key is DEPRECATED and will be removed in the future. Use "
                                            f"'organisation.uri' and set it to 'urn:x-italian-pa:{code}' instead")


# ---------------------------------------------------------------------------------------------
# the three passes together


def validate_text(raw: bytes | str, base_dir: Path | None = None) -> Result:
    """Validate a publiccode.yml given as bytes (or text); `base_dir` resolves relative logo and
    screenshot paths (the file's folder); without it those checks are listed as skipped."""
    result = Result()
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            result.findings.append(Finding("", f"the file has {len(raw):,} bytes; a publiccode.yml has at most "
                                               f"{MAX_FILE_BYTES:,}", 0, 0))
            return result
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            result.findings.append(Finding("", "Invalid UTF-8", 0, 0))
            return result
    else:
        text = raw
    try:
        document = parse(text)
    except YamlProblem as problem:
        result.findings.append(Finding("", problem.message, problem.line, problem.column))
        return result
    result.document = document
    body = document.body
    version_entry = next((e for e in body.value if e.key == "publiccodeYmlVersion"), None) \
        if body is not None and body.kind == "map" else None
    if version_entry is None or version_entry.value.kind == "null":
        result.findings.append(Finding("publiccodeYmlVersion", "publiccodeYmlVersion is a required field", 0, 0))
        return result
    version = version_entry.value
    if version.kind != "scalar" or not isinstance(version.value, str):
        result.findings.append(Finding("publiccodeYmlVersion", "wrong type for this field", version_entry.line,
                                       version_entry.column))
        return result
    if version.value not in SUPPORTED_VERSIONS:
        result.findings.append(Finding("publiccodeYmlVersion", f"unsupported version: '{version.value}'. "
                                       f"Supported versions: {', '.join(SUPPORTED_VERSIONS)}", 0, 0))
        return result
    if version.value != "0" and not version.value.startswith("0.7"):
        result.findings.append(Finding(
            "publiccodeYmlVersion", f"v{version.value} is not the latest version, use '0'. Parsing this file as "
            f"v{SUPPORTED_VERSIONS[-1]}.", version_entry.line, version_entry.column, warning=True))

    data, decode_error = _decode_struct(body, PUBLICCODE_V0)
    if data is None:  # the document is not a mapping
        data = zero(Struct(PUBLICCODE_V0.name, PUBLICCODE_V0.fields))
    if decode_error is not None:
        result.findings.append(Finding(find_key_at_line(body, decode_error.line), decode_error.message,
                                       decode_error.line, 1))

    rules = _RuleChecker()
    rules.struct(PUBLICCODE_V0, data, "")
    for ns, message in rules.failures:
        key = _MAP_KEY.sub(r".\1", ns)
        line, column = find_key_position(body, key)
        result.findings.append(Finding(key, message, line, column))

    files = _FileChecker(data, base_dir)
    files.run()
    for key, message, warning in files.results:
        line, column = find_key_position(body, key)
        result.findings.append(Finding(key, message, line, column, warning))
    for key, check in files.skipped:
        result.skipped.append(SkippedCheck(key, check, find_key_position(body, key)[0]))
    result.data = data
    return result


def validate_file(path: str | Path) -> Result:
    """Validate the publiccode.yml at `path`; relative files it names are looked up beside it."""
    path = Path(path)
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    return validate_text(raw, path.absolute().parent)
