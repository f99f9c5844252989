"""Untrusted Cypher (ad-hoc `/cypher`, `copgraph cypher`, named queries) by allow-list.

The former guard searched the text for forbidden words and missed `1LOAD FROM '/etc/passwd'`
(LadybugDB reads `1LOAD` as `1 LOAD`) and `` CALL `threads`=100000 `` (a backticked setting).
This one tokenises the text the way the engine's grammar does (strings with their escapes,
backtick names, comments, parameters, numbers that end where a word begins) and then allows:

- one statement that starts with a reading clause (MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN);
- clause keywords only from the reading set (WHERE, ORDER BY, SKIP, LIMIT, UNION, ...): every
  keyword of the engine's grammar that starts another clause or statement (CALL, LOAD, COPY,
  CREATE, SET, ... see `_OTHER_CLAUSES`) is refused wherever it stands as a bare word, since the
  grammar also accepts most of them as names; a name that collides is written in backticks;
- function calls only from `FUNCTIONS` (pure scalar and aggregate functions; table functions such
  as READ_CSV_SERIAL, which segfault the engine, sequences, settings and file functions are not,
  nor any namespaced function such as Neo4j's `apoc.load.json`);
- a word glued to a number (`1LOAD`) is refused outright, whatever the engine would make of it;
- at most `MAX_LENGTH` characters, `MAX_TOKENS` tokens and `MAX_NESTING` nested brackets
  (2,500 nested brackets segfault LadybugDB; 1,500 take 3.4 s to parse).

Settings can therefore never be changed by a query: the only syntax for it is `CALL name = value`.
The engine's read-only mode stays as a second wall behind this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_api.store.base import QueryRejected

MAX_LENGTH = 20_000
MAX_TOKENS = 4_000
MAX_NESTING = 48

STARTING_CLAUSES = frozenset({"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN"})
ALLOWED_KEYWORDS = STARTING_CLAUSES | frozenset({
    "WHERE", "ORDER", "BY", "SKIP", "LIMIT", "UNION", "ALL", "DISTINCT", "AS", "AND", "OR", "XOR", "NOT", "IN",
    "IS", "NULL", "TRUE", "FALSE", "CASE", "WHEN", "THEN", "ELSE", "END", "ASC", "ASCENDING", "DESC",
    "DESCENDING", "STARTS", "ENDS", "CONTAINS", "EXISTS", "COUNT", "ANY", "NONE", "SINGLE", "SHORTEST",
    "WSHORTEST", "TRAIL", "ACYCLIC", "CAST",
})
# Every keyword of LadybugDB's grammar (and Neo4j's) that opens a clause or statement other than reading.
_OTHER_CLAUSES = frozenset({
    "CALL", "LOAD", "COPY", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "INSTALL",
    "UNINSTALL", "UPDATE", "FORCE", "EXTENSION", "EXPORT", "IMPORT", "ATTACH", "USE", "BEGIN", "COMMIT",
    "ROLLBACK", "CHECKPOINT", "TRANSACTION", "COMMENT", "EXPLAIN", "PROFILE", "FOREACH", "YIELD", "HINT",
    "MACRO", "GLOB", "DATABASE", "GRANT", "REVOKE", "DENY", "SHOW", "TERMINATE", "FINISH", "INSERT",
})
FUNCTIONS = frozenset(name.upper() for name in (
    # aggregates
    "count", "count_if", "sum", "avg", "min", "max", "collect", "percentilecont", "percentiledisc",
    "percentileCont", "percentileDisc", "stdev",
    # graph elements and paths (LadybugDB and Neo4j spellings)
    "id", "label", "labels", "type", "keys", "properties", "nodes", "rels", "relationships", "length",
    "start_node", "end_node", "startNode", "endNode", "is_trail", "is_acyclic", "shortestPath",
    "allShortestPaths", "cost",
    # lists
    "size", "range", "head", "last", "tail", "reverse", "list_transform", "list_filter", "list_contains",
    "list_has", "list_has_all", "list_has_any", "list_sort", "list_reverse_sort", "list_distinct",
    "list_unique", "list_concat", "list_cat", "list_append", "list_prepend", "list_extract", "list_element",
    "list_slice", "list_position", "list_indexof", "list_sum", "list_product", "list_min", "list_max",
    "list_to_string", "list_any_value", "list_reduce", "array_contains", "array_slice", "cardinality",
    # strings
    "lower", "upper", "tolower", "toupper", "lcase", "ucase", "trim", "ltrim", "rtrim", "left", "right",
    "substring", "substr", "starts_with", "ends_with", "contains", "concat", "concat_ws", "replace", "split",
    "string_split", "str_split", "split_part", "lpad", "rpad", "repeat", "initcap", "levenshtein", "prefix",
    "suffix", "regexp_matches", "regexp_full_match", "regexp_extract", "regexp_extract_all", "regexp_replace",
    "regexp_split_to_array",
    # conversion and null handling
    "coalesce", "ifnull", "nullif", "cast", "to_string", "tostring", "to_int64", "to_int32", "tointeger",
    "to_double", "to_float", "tofloat", "to_bool", "toboolean", "to_date", "typeof", "string",
    # numbers
    "abs", "ceil", "ceiling", "floor", "round", "sign", "sqrt", "cbrt", "pow", "ln", "log", "log10", "log2",
    "exp", "pi", "even", "factorial", "greatest", "least", "sin", "cos", "tan", "asin", "acos", "atan",
    "atan2", "degrees", "radians",
    # dates
    "date", "timestamp", "duration", "interval", "date_part", "datepart", "date_trunc", "datetrunc",
    "make_date", "dayname", "monthname", "last_day", "current_date", "current_timestamp", "epoch_ms",
    # maps and structs
    "map_extract", "map_keys", "map_values", "struct_extract", "element_at",
))

_TOKEN = re.compile(r"""
    (?P<space>[\s\u180e]+)
  | (?P<line_comment>//[^\n\r]*)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<name>`[^`]*`)
  | (?P<number>(?:\d+(?:\.\d+)?|\.\d+)(?:[eE]-?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_OPENING, _CLOSING = "([{", ")]}"
# \s is Python's whitespace; the engine also separates tokens with U+180E (and reads comments as space)


@dataclass(frozen=True)
class Token:
    kind: str  # string, name, number, word, other
    text: str
    glued: bool  # no space or comment between this token and the previous one


def _block_comment_end(query: str, start: int) -> int:
    """Where the comment opened at `start` ends, by the engine's rule, not the first `*/`.

    LadybugDB's lexer reads a `*` inside a comment together with the character after it, so
    `/* a **/ + 2 /* b */` is one comment (measured: `RETURN 1 /* a **/ + 2 /* b */` returns 1).
    A guard that ended the comment at `**/` would read code the engine never sees, and miss
    code it does see."""
    position = start + 2
    while position < len(query):
        if query[position] == "*":
            if query.startswith("/", position + 1):
                return position + 2
            position += 2
        else:
            position += 1
    raise QueryRejected(f"unterminated comment at character {start}")


def tokenize(query: str) -> list[Token]:
    """The tokens of `query`; unterminated strings, names and comments are refused."""
    tokens: list[Token] = []
    glued = False
    position = 0
    while position < len(query):
        if query.startswith("/*", position):
            position = _block_comment_end(query, position)
            glued = False
            continue
        match = _TOKEN.match(query, position)
        kind, text = match.lastgroup or "other", match.group()
        position = match.end()
        if kind in ("space", "line_comment"):
            glued = False
            continue
        if kind == "other" and text in "'\"`":
            raise QueryRejected(f"unterminated quote at character {match.start()}")
        tokens.append(Token(kind, text, glued))
        glued = True
        if len(tokens) > MAX_TOKENS:
            raise QueryRejected(f"the query has more than {MAX_TOKENS} tokens")
    return tokens


def check_read_query(query: str) -> None:
    """Raise QueryRejected unless `query` is one statement of reading clauses and allowed functions."""
    if len(query) > MAX_LENGTH:
        raise QueryRejected(f"the query is longer than {MAX_LENGTH} characters")
    tokens = tokenize(query)
    while tokens and tokens[-1].text == ";":
        tokens.pop()
    if not tokens:
        raise QueryRejected("the query is empty")
    first = tokens[0]
    if first.kind != "word" or first.text.upper() not in STARTING_CLAUSES:
        raise QueryRejected(f"a query starts with {', '.join(sorted(STARTING_CLAUSES))}; "
                            f"'{first.text}' is not allowed here (this is a read-only query)")
    nesting = 0
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        previous = tokens[index - 1] if index else None
        if token.kind == "other":
            if token.text == ";":
                raise QueryRejected("only one statement per query is allowed")
            nesting += (token.text in _OPENING) - (token.text in _CLOSING)
            if nesting > MAX_NESTING:
                raise QueryRejected(f"brackets are nested more than {MAX_NESTING} deep")
        elif following is not None and following.text == "(" and previous is not None and previous.text == "." \
                and token.kind in ("word", "name"):
            # `apoc.load.json(...)`: a namespaced function (Neo4j plug-ins read files and URLs); none is allowed
            raise QueryRejected(f"namespaced function ...{token.text}() is not allowed in a read-only query")
        elif token.kind == "word":
            _check_word(token, previous, following)
        elif token.kind == "name" and following is not None and following.text == "(":
            _check_function(token.text.strip("`"), token.text)


def _check_word(token: Token, previous: Token | None, following: Token | None) -> None:
    word = token.text.upper()
    if previous is not None and token.glued and previous.kind == "number":
        raise QueryRejected(f"'{previous.text}{token.text}': put a space between a number and a word")
    if previous is not None and token.glued and previous.text == "$":
        return  # a parameter name
    if previous is not None and previous.text == ".":
        return  # a property key (the grammar allows nothing else after '.')
    if word in ALLOWED_KEYWORDS:
        return
    if word in _OTHER_CLAUSES:
        raise QueryRejected(f"'{word}' is not allowed in a read-only query: only reading clauses (MATCH, "
                            "OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT, UNION) are; "
                            "write a name that collides with it in backticks")
    if following is not None and following.text == "(":
        _check_function(token.text, token.text)


def _check_function(name: str, shown: str) -> None:
    if name.upper() not in FUNCTIONS:
        raise QueryRejected(f"function {shown}() is not allowed in a read-only query (not on the allow-list of "
                            "pure functions)")
