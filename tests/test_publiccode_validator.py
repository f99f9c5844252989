"""The publiccode.yml validator against the reference parser's own test set.

The expectations are read out of `v0_test.go` (tests/publiccode_reference.py), never copied:
for every test file the findings must agree with the reference field by field — kind (error or
warning), key path, line, column and message, in the reference's order. Expected findings that
only the network can produce (URL reachability, code-repository detection, remote images) are
not made offline; for each one the validator must list the skipped check under the same key.
The one message that cannot agree is a YAML syntax error's wording (two YAML libraries); its key
and line still must.
"""

from __future__ import annotations

from collections import Counter

import pytest

from graph_api.loaders.publiccode import checks
from graph_api.loaders.publiccode.validate import Result, validate_file, validate_text
from tests.conftest import SHARED_DATA
from tests.publiccode_reference import CWD, Case, Expected, read_cases

PUBLICCODE = SHARED_DATA / "publiccode"
TESTDATA = PUBLICCODE / "parser-testdata"  # stands for the Go repository's testdata/ folder
pytestmark = pytest.mark.skipif(not TESTDATA.is_dir(), reason=f"reference test set not found at {TESTDATA}")

# messages of checks the reference only makes with the network (validateFieldsV0: checksNetwork)
NETWORK_MESSAGES = ("not reachable:", "is not a valid code repository", "HTTP GET failed", "failed to get raw URL")
CASES: list[Case] = read_cases(TESTDATA / "v0_test.go", TESTDATA) if TESTDATA.is_dir() else []


def _needs_network(expected: Expected) -> bool:
    return any(marker in expected.message for marker in NETWORK_MESSAGES)


def _is_yaml_syntax_error(expected: Expected) -> bool:
    return expected.key == "" and expected.line > 0


def _run(case: Case) -> Result:
    return validate_file(TESTDATA / case.file.removeprefix("testdata/"))


def _comparable(result: Result) -> list[tuple[str, str, int, int]]:
    return [("warning" if f.warning else "error", f.key, f.line, f.column) for f in result.findings]


def _message(text: str) -> str:
    return text.replace(str(TESTDATA.absolute()), CWD + "/testdata")


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_findings_agree_with_the_reference_field_by_field(case: Case) -> None:
    result = _run(case)
    offline = [e for e in case.expected if not _needs_network(e)]
    assert _comparable(result) == [(e.kind, e.key, e.line, e.column) for e in offline]
    for finding, expected in zip(result.findings, offline, strict=True):
        if _is_yaml_syntax_error(expected):
            assert finding.message  # a different YAML library words it differently
        else:
            assert _message(finding.message) == expected.message
    assert result.valid == (not any(e.kind == "error" for e in offline))


@pytest.mark.parametrize("case", [c for c in CASES if any(_needs_network(e) for e in c.expected)],
                         ids=lambda case: case.file)
def test_each_network_check_the_reference_makes_is_listed_as_skipped(case: Case) -> None:
    skipped = {check.key for check in _run(case).skipped}
    for expected in case.expected:
        if _needs_network(expected):
            assert expected.key in skipped, expected


def test_the_reference_set_is_read_whole_and_every_file_has_a_verdict() -> None:
    """The Go reader must not pass by reading nothing: every .yml under v0/ is a case."""
    files = {str(p.relative_to(TESTDATA)) for p in (TESTDATA / "v0").rglob("*.yml")}
    covered = {case.file.removeprefix("testdata/") for case in CASES}
    assert files == covered
    kinds = Counter("valid" if not any(e.kind == "error" for e in c.expected) else "invalid" for c in CASES)
    assert kinds["invalid"] >= 130 and kinds["valid"] >= 40


def test_pass_rate_on_the_reference_set_is_complete() -> None:
    agreeing = 0
    for case in CASES:
        offline = [e for e in case.expected if not _needs_network(e)]
        agreeing += _comparable(_run(case)) == [(e.kind, e.key, e.line, e.column) for e in offline]
    assert agreeing == len(CASES), f"{agreeing}/{len(CASES)} files agree on kind, key, line and column"


def test_vocabularies_are_the_standards_lists() -> None:
    """Oracle: the categories and scopes the validator accepts are the lists in the standard's text."""
    def listed(name: str) -> set[str]:
        lines = (PUBLICCODE / "standard" / name).read_text(encoding="utf-8").splitlines()
        return {line[2:].strip() for line in lines if line.startswith("- ")}

    assert listed("categories-list.rst") == checks.CATEGORIES_V0
    assert listed("scope-list.rst") == checks.SCOPES_V0


# ---------------------------------------------------------------------------------------------
# hostile inputs: each refused with a located error, none crashes or expands

VALID = (TESTDATA / "v0" / "valid" / "valid.minimal.yml").read_bytes() if TESTDATA.is_dir() else b""


def _only_error(raw: bytes) -> tuple[str, int, str]:
    errors = validate_text(raw).errors
    assert len(errors) == 1, errors
    return errors[0].key, errors[0].line, errors[0].message


def test_an_alias_bomb_is_refused_at_its_first_alias() -> None:
    bomb = b'publiccodeYmlVersion: "0"\na: &a ["x","x","x","x","x","x","x","x","x"]\n' + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n".encode()
        for i in range(9))
    key, line, message = _only_error(bomb)
    assert (key, line) == ("", 3) and "aliases" in message


def test_deep_nesting_is_refused_with_its_line() -> None:
    deep = b'publiccodeYmlVersion: "0"\nname:\n' + b"".join(b"  " * (i + 1) + b"- \n" for i in range(0)) + \
        b"  x: " + b"[" * 200 + b"]" * 200 + b"\n"
    key, line, message = _only_error(deep)
    assert line == 3 and "nested deeper" in message


def test_a_repeated_key_is_refused_with_both_lines() -> None:
    key, line, message = _only_error(VALID + b"\nname: Other\n")
    assert line == VALID.count(b"\n") + 2 and "already defined at line 3" in message


def test_two_documents_are_refused() -> None:
    assert "multiple YAML documents" in _only_error(VALID + b"\n---\nname: x\n")[2]


def test_a_huge_file_is_refused_before_it_is_parsed() -> None:
    assert "at most" in _only_error(VALID + b"#" * 2_000_000)[2]


def test_binary_and_latin1_text_are_refused_as_invalid_utf8() -> None:
    assert _only_error("name: Gemeinde Mölln\n".encode("latin-1")) == ("", 0, "Invalid UTF-8")


@pytest.mark.parametrize("raw, key", [
    (b"", "publiccodeYmlVersion"), (b"- a\n- b\n", "publiccodeYmlVersion"), (b"publiccodeYmlVersion: 0\n",
                                                                              "publiccodeYmlVersion"),
    (b'publiccodeYmlVersion: "9"\n', "publiccodeYmlVersion"),
])
def test_files_without_a_usable_version_are_refused_on_the_version(raw: bytes, key: str) -> None:
    assert _only_error(raw)[0] == key


def test_yaml_11_booleans_are_text_as_in_the_reference() -> None:
    raw = VALID.replace(b"localisationReady: true", b"localisationReady: yes")
    keys = [f.key for f in validate_text(raw).errors]
    assert keys[0] == "localisation.localisationReady"


def test_a_huge_value_is_reported_without_being_echoed() -> None:
    raw = VALID.replace(b"platforms:\n  - web", b"platforms:\n  - web\nusedBy: " + b"x" * 500_000)
    errors = validate_text(raw).errors
    assert [e.key for e in errors] == ["usedBy"] and all(len(str(e)) < 300 for e in errors)
