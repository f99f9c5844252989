"""Reads the reference parser's expectations out of its Go test file (`v0_test.go`).

The expectations are never copied by hand: this module tokenises the Go source and reads each
`expected := map[string]error{ "file.yml": ValidationResults{ ValidationError{key, message,
line, column}, ... } }` of the table-driven tests, with the folder (`dir := "..."`) and whether
the test parses with the network (`parse`) or without (`parseNoNetwork`), and the glob patterns
of `checkValidFiles`/`checkValidFilesNoNetwork` (files that must be accepted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"""
    (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:\\.|[^"\\\n])*"|`[^`]*`)
  | (?P<number>-?[0-9]+)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<space>\s+)
  | (?P<punct>:=|[{}()\[\],:+.*;=<>!&|-])
""", re.VERBOSE | re.DOTALL)

CWD = "<cwd>"  # stands for the Go test's working directory (the parser repository's root)


@dataclass(frozen=True)
class Expected:
    kind: str  # "error" or "warning"
    key: str
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class Case:
    test: str       # the Go test function
    file: str       # path relative to the parser repository root ("testdata/v0/invalid/x.yml")
    network: bool   # parsed with the network enabled (parse) or not (parseNoNetwork)
    expected: tuple[Expected, ...]  # empty: the file must be accepted


def _tokens(source: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if not match:
            raise ValueError(f"cannot tokenise Go source at offset {pos}: {source[pos:pos + 30]!r}")
        pos = match.end()
        kind = match.lastgroup
        if kind not in ("comment", "space"):
            out.append((kind, match.group()))
    return out


def _string_value(token: str) -> str:
    if token.startswith("`"):
        return token[1:-1]
    return bytes(token[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.pos = tokens, 0

    def peek(self, offset: int = 0) -> tuple[str, str]:
        return self.tokens[self.pos + offset] if self.pos + offset < len(self.tokens) else ("eof", "")

    def take(self, text: str | None = None) -> str:
        kind, value = self.peek()
        if text is not None and value != text:
            raise ValueError(f"expected {text!r}, found {value!r} (token {self.pos})")
        self.pos += 1
        return value

    def expression(self) -> str | int:
        """A string concatenation ("a" + cwd + "b") or an integer."""
        kind, value = self.peek()
        if kind == "number":
            self.take()
            return int(value)
        parts = []
        while True:
            kind, value = self.peek()
            if kind == "string":
                parts.append(_string_value(value))
            elif kind == "ident" and value == "cwd":
                parts.append(CWD)
            else:
                raise ValueError(f"unexpected {value!r} in an expectation")
            self.take()
            if self.peek()[1] != "+":
                return "".join(parts)
            self.take("+")

    def results(self) -> tuple[Expected, ...]:
        self.take("ValidationResults")
        self.take("{")
        out = []
        while self.peek()[1] != "}":
            kind = {"ValidationError": "error", "ValidationWarning": "warning"}[self.take()]
            self.take("{")
            args = []
            while self.peek()[1] != "}":
                args.append(self.expression())
                if self.peek()[1] == ",":
                    self.take(",")
            self.take("}")
            key, message, line, column = args
            out.append(Expected(kind, str(key), str(message), int(line), int(column)))
            if self.peek()[1] == ",":
                self.take(",")
        self.take("}")
        return tuple(out)


def _functions(tokens: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Each top-level `func Name(...) {...}` body as its token list."""
    out: dict[str, list[tuple[str, str]]] = {}
    index = 0
    while index < len(tokens):
        if tokens[index] == ("ident", "func") and tokens[index + 1][0] == "ident":
            name = tokens[index + 1][1]
            start = next(i for i in range(index, len(tokens)) if tokens[i][1] == "{")
            depth, end = 0, start
            for end in range(start, len(tokens)):
                depth += {"{": 1, "}": -1}.get(tokens[end][1], 0)
                if depth == 0:
                    break
            out[name] = tokens[start + 1:end]
            index = end
        index += 1
    return out


def _files(root: Path, pattern: str) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.glob(pattern.replace("testdata/", "", 1)))


def read_cases(go_file: Path, testdata_root: Path) -> list[Case]:
    """Every local case of the table-driven tests in `go_file`; `testdata_root` is the folder
    that stands for the Go repository's `testdata/`. Tests over remote URLs are left out."""
    cases: list[Case] = []
    for name, body in _functions(_tokens(go_file.read_text(encoding="utf-8"))).items():
        values = [value for _, value in body]
        if "checkValidFiles" in values or "checkValidFilesNoNetwork" in values:
            call = "checkValidFiles" if "checkValidFiles" in values else "checkValidFilesNoNetwork"
            pattern = _string_value(body[values.index(call) + 2][1])
            for path in _files(testdata_root, pattern):
                cases.append(Case(name, "testdata/" + path, call == "checkValidFiles", ()))
            continue
        if "expected" not in values or "dir" not in values:
            continue
        reader = _Reader(body)
        reader.pos = values.index("expected")
        while reader.peek()[1] != "{":
            reader.take()
        reader.take("{")
        expected: dict[str, tuple[Expected, ...]] = {}
        while reader.peek()[1] != "}":
            file_name = _string_value(reader.take())
            reader.take(":")
            expected[file_name] = reader.results()
            if reader.peek()[1] == ",":
                reader.take(",")
        directory = _string_value(body[values.index("dir") + 2][1])
        network = "parse" in values
        for file_name, results in expected.items():
            cases.append(Case(name, directory + file_name, network, results))
    return cases
