"""Destatis GV100AD (fixed-width municipality directory) -> State, County, Association, Municipality.

Source: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 30.11.2021.
Columns are character positions of the UTF-8-decoded line (see `LAYOUT.md` of the data).
Regierungsbezirk (20) and Region (30) records are not part of the graph's territorial tree;
their digit stays inside the keys. The directory gives population and area for municipalities
only; the totals of associations, counties and states are not stated by this loader but summed
by the store from all stored municipalities in the write's transaction
(`graph_api.store.territory_totals`), so a partial file (the two-county extract) never replaces
the totals of the full directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from graph_api.loaders import record_rules
from graph_api.rows import GraphRows, LoadError, LoadProblem

RECORD_LENGTH = 220
SOURCE_ID = "Source:destatis-gv100ad-2021"
SOURCE = {"id": SOURCE_ID, "title": "Gemeindeverzeichnis GV100AD, Gebietsstand 30.11.2021", "kind": "dataset",
          "publisher": "Statistisches Bundesamt (Destatis)", "published_on": "2021-11-30",
          "url": "https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html",
          "licence": "Vervielfältigung und Verbreitung, auch auszugsweise, mit Quellenangabe gestattet",
          "illustrative": False}
MAX_PROBLEMS = 50

COUNTY_KINDS = {"41": "Kreisfreie Stadt", "42": "Stadtkreis", "43": "Kreis", "44": "Landkreis",
                "45": "Regionalverband"}
ASSOCIATION_KINDS = {"50": "verbandsfreie Gemeinde", "51": "Amt", "52": "Samtgemeinde", "53": "Verbandsgemeinde",
                     "54": "Verwaltungsgemeinschaft", "55": "Kirchspielslandgemeinde", "56": "Verwaltungsverband",
                     "57": "Verbandsgemeinde (Trägermodell)", "58": "Erfüllende Gemeinde"}
MUNICIPALITY_KINDS = {"60": "Markt", "61": "Kreisfreie Stadt", "62": "Stadtkreis", "63": "Stadt",
                      "64": "kreisangehörige Gemeinde", "65": "gemeindefreies Gebiet, bewohnt",
                      "66": "gemeindefreies Gebiet, unbewohnt", "67": "Große Kreisstadt"}
KNOWN_RECORD_TYPES = {"10", "20", "30", "40", "50", "60"}


def _col(line: str, start: int, end: int) -> str:
    """1-based inclusive character columns, as the layout describes them."""
    return line[start - 1:end].strip()


class _Reader:
    """Parses one file, collecting every problem instead of stopping at the first."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[LoadProblem] = []

    def problem(self, line: int, field: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(LoadProblem(str(self.path), line, field, message))

    def lines(self) -> Iterator[tuple[int, str]]:
        with self.path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self.problem(number, "encoding", f"not UTF-8 (byte {exc.start}); GV100AD is UTF-8 since 2021 "
                                 "- was the file converted to Latin-1?")
                    continue
                text = text.rstrip("\r\n")
                if not text.strip():
                    continue
                if len(text) != RECORD_LENGTH:
                    self.problem(number, "record", f"has {len(text)} characters, expected {RECORD_LENGTH} "
                                 "(truncated or joined line?)")
                    continue
                yield number, text

    def digits(self, number: int, line: str, field: str, start: int, end: int, *, optional: bool = False
               ) -> str | None:
        value = _col(line, start, end)
        if not value and optional:
            return None
        if not value.isdigit() or len(value) != end - start + 1:
            self.problem(number, field, f"'{value}' in columns {start}-{end} is not {end - start + 1} digits")
            return None
        return value

    def code(self, number: int, line: str, table: dict[str, str], field: str) -> str | None:
        value = _col(line, 123, 124)
        if value not in table:
            self.problem(number, field, f"Textkennzeichen '{value}' is not one of {sorted(table)}")
            return None
        return value


def read(path: str | Path, *, progress: bool = False) -> GraphRows:
    """Parse a GV100AD file into territorial rows; raise `LoadError` listing every defect."""
    path = Path(path)
    if not path.is_file():
        raise LoadError([LoadProblem(str(path), None, "file", "does not exist or is not a file")])
    reader = _Reader(path)
    states: dict[str, dict[str, Any]] = {}
    counties: dict[str, dict[str, Any]] = {}
    associations: dict[str, dict[str, Any]] = {}
    municipalities: list[dict[str, Any]] = []
    lines = reader.lines()
    if progress:
        lines = tqdm(lines, desc="GV100AD records", unit=" rec", total=_count_lines(path), leave=False)
    for number, line in lines:
        satzart = line[:2]
        if satzart not in KNOWN_RECORD_TYPES:
            reader.problem(number, "Satzart", f"'{satzart}' is not a GV100AD record type {sorted(KNOWN_RECORD_TYPES)}")
            continue
        land = reader.digits(number, line, "Land", 11, 12)
        try:
            name = record_rules.name(_col(line, 23, 72))
        except ValueError as exc:
            reader.problem(number, "Name", str(exc))
            name = ""
        if land is None or not name:
            continue
        if satzart == "10":
            _put(reader, number, states, land, {"id": f"State:{land}", "name": name, "ags": land,
                                                "ars": land.ljust(12, "0"), "seat": _col(line, 73, 122) or None})
        elif satzart == "40":
            ags = reader.digits(number, line, "Kreis", 11, 15)
            kind = reader.code(number, line, COUNTY_KINDS, "Textkennzeichen")
            if ags and kind:
                _put(reader, number, counties, ags, {
                    "id": f"County:{ags}", "name": name, "ags": ags, "ars": ags.ljust(12, "0"),
                    "kind": COUNTY_KINDS[kind], "kind_code": kind, "seat": _col(line, 73, 122) or None})
        elif satzart == "50":
            county = reader.digits(number, line, "Kreis", 11, 15)
            verband = reader.digits(number, line, "Gemeindeverband", 19, 22)
            kind = reader.code(number, line, ASSOCIATION_KINDS, "Textkennzeichen")
            if county and verband and kind:
                key = county + verband
                _put(reader, number, associations, key, {
                    "id": f"Association:{key}", "name": name, "ars": key.ljust(12, "0"), "county_ags": county,
                    "kind": ASSOCIATION_KINDS[kind], "kind_code": kind, "seat": _col(line, 73, 122) or None})
        elif satzart == "60":
            row = _municipality(reader, number, line, name)
            if row:
                municipalities.append(row)
    if reader.problems:
        raise LoadError(reader.problems)
    return _assemble(reader, states, counties, associations, municipalities)


def _municipality(reader: _Reader, number: int, line: str, name: str) -> dict[str, Any] | None:
    ags = reader.digits(number, line, "AGS", 11, 18)
    verband = reader.digits(number, line, "Gemeindeverband", 19, 22)
    kind = reader.code(number, line, MUNICIPALITY_KINDS, "Textkennzeichen")
    area = reader.digits(number, line, "Fläche", 129, 139)
    population = reader.digits(number, line, "Bevölkerung", 140, 150)
    postcode = reader.digits(number, line, "PLZ", 166, 170, optional=True)
    if not (ags and verband and kind and area is not None and population is not None):
        return None
    for field, rule, value in (("Bevölkerung", record_rules.population, int(population)),
                               ("Fläche", record_rules.area_ha, int(area))):
        try:
            rule(value)
        except ValueError as exc:
            reader.problem(number, field, str(exc))
            return None
    return {"id": f"Municipality:{ags}", "name": name, "ags": ags, "ars": ags[:5] + verband + ags[5:],
            "county_ags": ags[:5], "kind": MUNICIPALITY_KINDS[kind], "kind_code": kind,
            "population": int(population), "area_ha": float(int(area)), "postcode": postcode,
            "several_postcodes": _col(line, 171, 175) == "*****", "_line": number, "_verband": verband}


def _put(reader: _Reader, number: int, table: dict[str, dict[str, Any]], key: str, row: dict[str, Any]) -> None:
    if key in table:
        reader.problem(number, "key", f"{row['id']} appears twice (first on line {table[key]['_line']})")
        return
    table[key] = {**row, "_line": number}


def _assemble(reader: _Reader, states: dict[str, dict[str, Any]], counties: dict[str, dict[str, Any]],
              associations: dict[str, dict[str, Any]], municipalities: list[dict[str, Any]]) -> GraphRows:
    rows = GraphRows()
    seen: dict[str, int] = {}
    for m in municipalities:
        if m["id"] in seen:
            reader.problem(m["_line"], "AGS", f"{m['id']} appears twice (first on line {seen[m['id']]})")
            continue
        seen[m["id"]] = m["_line"]
        county_key, assoc_key = m["ags"][:5], m["ags"][:5] + m.pop("_verband")
        line = m.pop("_line")
        if county_key not in counties and not _state_level(county_key):
            reader.problem(line, "Kreis", f"county {county_key} of {m['id']} has no Satzart-40 record")
            continue
        if assoc_key not in associations:  # every municipality belongs to a Gemeindeverband (50 = verbandsfrei)
            reader.problem(line, "Gemeindeverband", f"{assoc_key[5:]} of {m['id']} has no Satzart-50 record "
                           f"(Association:{assoc_key} is unknown)")
            continue
        parent = f"Association:{assoc_key}"
        rows.add_node("Municipality", m)
        rows.add_rel("PART_OF", m["id"], parent)
    for a in associations.values():
        line = a.pop("_line")
        if _state_level(a["county_ags"]):
            parent = f"State:{a['county_ags'][:2]}"
        elif a["county_ags"] in counties:
            parent = f"County:{a['county_ags']}"
        else:
            reader.problem(line, "Kreis", f"county {a['county_ags']} of {a['id']} has no Satzart-40 record")
            continue
        rows.add_node("Association", a)
        rows.add_rel("PART_OF", a["id"], parent)
    for key, c in counties.items():
        line = c.pop("_line")
        if key[:2] not in states:
            reader.problem(line, "Land", f"state {key[:2]} of {c['id']} has no Satzart-10 record")
            continue
        rows.add_node("County", c)
        rows.add_rel("PART_OF", c["id"], f"State:{key[:2]}")
    for s in states.values():
        s.pop("_line")
        rows.add_node("State", s)
    if reader.problems:
        raise LoadError(reader.problems)
    rows.exclusive.add("PART_OF")  # the directory states the whole tree: a moved municipality leaves its old Amt
    rows.add_node("Source", dict(SOURCE))
    for label in ("State", "County", "Association", "Municipality"):
        for node in rows.nodes[label]:
            rows.add_rel("SOURCED_FROM", node["id"], SOURCE_ID)
    for key in list(rows.rels):
        if key[0] == "PART_OF":
            for rel in rows.rels[key]:
                rel["source"] = SOURCE_ID
    return rows


def _state_level(county_key: str) -> bool:
    """Kreis digits 000: areas that belong to a Land but to no county (coastal waters, a condominium)."""
    return county_key.endswith("000")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)
