"""Synthetic, seeded community-of-practice data on top of the real GV100AD territory (benchmarks).

Why it returns `GraphRows`: the benchmark must measure the path real data takes (loader ->
`GraphRows` -> `Store.apply`), so the generator produces what every loader produces. It lives in
`bench/`, not in the installed package: it is a measuring instrument, not a data source.
Why the real territory: query costs depend on the shape of Germany (10,997 municipalities, very
uneven counties and associations), which a made-up tree would not reproduce.

Everything is derived from a `random.Random` seeded per entity (`seed:ags`), so an
administration and its people look the same at every scale, and the whole output is
reproducible. Nobody is named: actors carry role labels ("Sachbearbeitung 3, Gemeinde X").

Shape of the generated graph:
- per inhabited municipality an administration (ADMINISTERS) with 5-40 actors by population
  (WORKS_FOR); per county and per multi-member association (Amt, Samtgemeinde, ...) one more;
- public enterprises (Stadtwerke, Zweckverbände, Kreiswerke) with owners (OWNED_BY, shares);
- solutions with needs and categories (two small SKOS-like schemes, BROADER);
- adoptions of solutions (Zipf-distributed popularity) that spread geographically: a new adopter
  is mostly found in the county or state of an earlier adopter, and LEARNED_FROM points there;
- KNOWS: dense inside an administration, liaisons municipality <-> Amt <-> county, then sparse
  links mostly within the county, fewer within the state, few across Germany.
"""

from __future__ import annotations

import math
import os
import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from graph_api.loaders import gv100ad
from graph_api.model import TERRITORY_LABELS, key_of
from graph_api.rows import GraphRows, LoadError, LoadProblem

# the full GV100AD edition is not bundled (only a two-county extract is): callers name it, or set this
GV100AD_VARIABLE = "COPGRAPH_GV100AD"
# scale -> AGS prefix of the territory generated (county Ludwigslust-Parchim, its Land, all)
SCALES: dict[str, str] = {"tiny": "13076", "small": "13", "germany": ""}
FULL = {"solutions": 2_000, "adoptions": 100_000, "knows": 1_000_000}
GERMAN_MUNICIPALITIES = 10_997

ROLES = ("Sachbearbeitung", "Hauptamt", "Digitalisierung", "Bürgerservice", "Ordnungsamt", "Bauamt",
         "Kämmerei", "IT-Koordination", "Wirtschaftsförderung", "Klimaschutz", "Personal", "Schulverwaltung",
         "Sozialamt", "Organisation")
CATEGORIES = ("Bürgerservice", "Digitale Verwaltung", "Mobilität", "Klimaschutz", "Bildung", "Soziales",
              "Wirtschaft", "Beteiligung", "Gesundheit", "Sicherheit")
NEEDS = ("Fachkräftemangel", "Medienbrüche", "Erreichbarkeit", "Energiekosten", "Datenqualität",
         "Barrierefreiheit", "Wartezeiten", "Ehrenamt")
ADJECTIVES = ("Digitaler", "Offener", "Mobiler", "Gemeinsamer", "Kommunaler", "Smarter", "Regionaler", "Vernetzter")
NOUNS = ("Bürgerservice-Assistent", "Antragsportal", "Mängelmelder", "Ratsinformationsdienst", "Terminplaner",
         "Energiemonitor", "Beteiligungsportal", "Schulcloud", "Dorfladen-Netz", "Rufbus")
STATUS_EARLY = ("ADOPTED", "SCALED", "ADOPTED", "PILOT")
STATUS_LATE = ("CONSIDERING", "PLANNED", "PILOT", "ADOPTED")
SOURCE_ID = "Source:synth-generator"


@dataclass(frozen=True)
class Sizes:
    solutions: int
    adoptions: int
    knows: int


def sizes_for(municipalities: int, *, solutions: int | None = None, adoptions: int | None = None,
              knows: int | None = None) -> Sizes:
    """Full-Germany sizes scaled by the share of municipalities generated (flags override)."""
    share = municipalities / GERMAN_MUNICIPALITIES  # all municipalities, inhabited or not
    return Sizes(solutions if solutions is not None else max(50, round(FULL["solutions"] * share)),
                 adoptions if adoptions is not None else round(FULL["adoptions"] * share),
                 knows if knows is not None else round(FULL["knows"] * share))


def parse_spec(path_or_spec: str | Path | None) -> tuple[Path, dict[str, str]]:
    """A GV100AD file, or a spec like `tiny`, `small,seed=7` or `scope=01,knows=50000`."""
    if path_or_spec is None:
        return default_gv100ad(), {}
    if Path(path_or_spec).is_file():
        return Path(path_or_spec), {}
    options: dict[str, str] = {}
    for part in str(path_or_spec).split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            key, value = "scale", key
        options[key.strip()] = value.strip()
    return Path(options.pop("gv100ad", None) or default_gv100ad()), options


def default_gv100ad() -> Path:
    """The GV100AD file named by $COPGRAPH_GV100AD (refused clearly when unset)."""
    value = os.environ.get(GV100AD_VARIABLE)
    if not value:
        raise LoadError([LoadProblem("synthetic", None, "gv100ad",
                                     f"no GV100AD file given: pass one or set ${GV100AD_VARIABLE}")])
    return Path(value)


def read(path_or_spec: str | Path | None = None, *, scale: str = "germany", scope: str | None = None,
         seed: int = 42, solutions: int | None = None, adoptions: int | None = None, knows: int | None = None,
         territory: bool = True) -> GraphRows:
    """Generate the graph for `scale` (or an explicit AGS prefix `scope`) on the GV100AD at `path_or_spec`.

    `territory=False` leaves out the (scoped) GV100AD rows, for a store that already has them."""
    path, spec = parse_spec(path_or_spec)
    spec_source = str(path_or_spec)
    scale = spec.pop("scale", scale)
    scope = spec.pop("scope", scope)
    try:
        seed = int(spec.pop("seed", seed))
        counts = {k: int(spec.pop(k)) for k in ("solutions", "adoptions", "knows") if k in spec}
    except ValueError as exc:
        raise LoadError([LoadProblem(spec_source, None, "spec", f"not a number: {exc}")]) from None
    if spec:
        raise LoadError([LoadProblem(spec_source, None, "spec", f"unknown option(s) {sorted(spec)}")])
    if scope is None:
        if scale not in SCALES:
            raise LoadError([LoadProblem(spec_source, None, "scale",
                                         f"'{scale}' is not one of {', '.join(SCALES)}")])
        scope = SCALES[scale]
    if not scope.isdigit() and scope != "":
        raise LoadError([LoadProblem(spec_source, None, "scope", f"'{scope}' is not an AGS prefix")])
    territory_rows = scoped_territory(gv100ad.read(path), scope)
    if not territory_rows.nodes.get("Municipality"):
        raise LoadError([LoadProblem(str(path), None, "scope", f"no municipality has an AGS starting '{scope}'")])
    generated = _Generator(territory_rows, seed, sizes_for(len(territory_rows.nodes["Municipality"]),
                                                            solutions=counts.get("solutions", solutions),
                                                            adoptions=counts.get("adoptions", adoptions),
                                                            knows=counts.get("knows", knows))).run()
    if territory:
        territory_rows.extend(generated)
        return territory_rows
    return generated


def scoped_territory(rows: GraphRows, scope: str) -> GraphRows:
    """The GV100AD rows of the territories whose key starts with `scope`, plus their state."""
    if not scope:
        return rows
    keep: set[str] = set()
    out = GraphRows()
    for label in TERRITORY_LABELS:
        for row in rows.nodes.get(label, []):
            key = key_of(row["id"])
            if key.startswith(scope) or (label == "State" and scope.startswith(key)):
                out.add_node(label, row)
                keep.add(row["id"])
    for label, label_rows in rows.nodes.items():
        if label not in TERRITORY_LABELS:
            out.nodes[label].extend(label_rows)
            keep.update(r["id"] for r in label_rows)
    for key, rel_rows in rows.rels.items():
        kept = [r for r in rel_rows if r["from"] in keep and r["to"] in keep]
        if kept:
            out.rels[key].extend(kept)
    return out


def actor_count(population: int, low: int = 5, high: int = 40) -> int:
    """5 people for a village of 1,000 or fewer, about 9 more per tenfold population, at most 40."""
    if population <= 1_000:
        return low
    return min(high, low + round(9 * math.log10(population / 1_000)))


class _Generator:
    def __init__(self, territory: GraphRows, seed: int, sizes: Sizes):
        self.seed, self.sizes = seed, sizes
        self.rows = GraphRows()
        self.municipalities = sorted((m for m in territory.nodes["Municipality"] if m["population"] > 0),
                                     key=lambda m: m["ags"])
        self.counties = sorted(territory.nodes.get("County", []), key=lambda c: c["ags"])
        self.county_keys = {c["ags"] for c in self.counties}
        self.associations = sorted((a for a in territory.nodes.get("Association", [])
                                    if a["kind_code"] != "50" and not a["county_ags"].endswith("000")),
                                   key=lambda a: a["id"])
        self.actors: list[str] = []
        self.actor_index: dict[str, int] = {}
        self.staff: dict[str, list[int]] = {}  # organisation id -> actor indexes
        self.actor_county: list[str] = []
        self.knows: set[tuple[int, int]] = set()
        self.knows_context: dict[tuple[int, int], str] = {}

    def rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def run(self) -> GraphRows:
        self.rows.add_node("Source", {"id": SOURCE_ID, "title": "copgraph synthetic benchmark generator",
                                      "kind": "dataset", "illustrative": True,
                                      "note": "Generated data for benchmarks; no statement is about a real body."})
        self._administrations()
        self._enterprises()
        self._knows()
        self._solutions()
        self._adoptions()
        return self.rows

    # ---- organisations and people ------------------------------------------------------------
    def _organisation(self, org_id: str, name: str, kind: str, territory_id: str | None, county: str,
                      people: int, display: str) -> None:
        self.rows.add_node("Organization", {"id": org_id, "name": name, "kind": kind,
                                            "description": f"Synthetische Organisation ({display})"})
        if territory_id:
            self.rows.add_rel("ADMINISTERS", org_id, territory_id)
        rng = self.rng("staff", org_id)
        members = []
        for i in range(people):
            role = "Verwaltungsleitung" if i == 0 else rng.choice(ROLES)
            actor_id = f"Actor:{key_of(org_id)}-{i:02d}"
            self.rows.add_node("Actor", {"id": actor_id, "name": f"{role} {i}, {display}", "role_label": role,
                                         "visibility": "public" if i == 0 or rng.random() < 0.2 else "restricted"})
            self.rows.add_rel("WORKS_FOR", actor_id, org_id, title=role, since=f"{rng.randint(1995, 2024)}-01-01")
            self.actor_index[actor_id] = len(self.actors)
            members.append(len(self.actors))
            self.actors.append(actor_id)
            self.actor_county.append(county)
        self.staff[org_id] = members

    def _administrations(self) -> None:
        inhabitants: dict[str, int] = {}  # the loader states no county totals: summed here
        for m in self.municipalities:
            inhabitants[m["county_ags"]] = inhabitants.get(m["county_ags"], 0) + m["population"]
        for c in self.counties:
            people = min(40, actor_count(inhabitants.get(c["ags"], 0)) + 10)
            self._organisation(f"Organization:synth-kreis-{c['ags']}", f"Kreisverwaltung {c['name']}",
                               "ADMINISTRATION", c["id"], c["ags"], people, f"Kreis {c['name']}")
        for a in self.associations:
            key = key_of(a["id"])
            self._organisation(f"Organization:synth-amt-{key}", f"Verwaltung {a['name']}", "ADMINISTRATION",
                               a["id"], a["county_ags"], 5 + self.rng("amt", key).randint(0, 7), a["name"])
        for m in self.municipalities:
            self._organisation(f"Organization:synth-gemeinde-{m['ags']}", f"Gemeindeverwaltung {m['name']}",
                               "ADMINISTRATION", m["id"], m["county_ags"], actor_count(m["population"]),
                               f"Gemeinde {m['name']}")

    def _enterprises(self) -> None:
        for m in self.municipalities:
            if m["population"] < 10_000:
                continue
            rng = self.rng("stadtwerke", m["ags"])
            org_id = f"Organization:synth-stadtwerke-{m['ags']}"
            self._organisation(org_id, f"Stadtwerke {m['name']}", "PUBLIC_ENTERPRISE", None, m["county_ags"],
                               rng.randint(3, 8), f"Stadtwerke {m['name']}")
            if m["county_ags"] in self.county_keys and rng.random() < 0.3:
                self.rows.add_rel("OWNED_BY", org_id, m["id"], share=0.51)
                self.rows.add_rel("OWNED_BY", org_id, f"Organization:synth-kreis-{m['county_ags']}", share=0.49)
            else:
                self.rows.add_rel("OWNED_BY", org_id, m["id"], share=1.0)
        for c in self.counties:
            org_id = f"Organization:synth-kreiswerke-{c['ags']}"
            self._organisation(org_id, f"Kreiswerke {c['name']}", "PUBLIC_ENTERPRISE", None, c["ags"],
                               self.rng("kreiswerke", c["ags"]).randint(3, 8), f"Kreiswerke {c['name']}")
            self.rows.add_rel("OWNED_BY", org_id, c["id"], share=1.0)
        members: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in self.municipalities:
            members[m["ars"][:9]].append(m)
        for a in self.associations:
            key = key_of(a["id"])
            rng = self.rng("zweckverband", key)
            owners = members.get(key, [])[:10]
            if len(owners) < 2 or rng.random() < 0.5:
                continue
            org_id = f"Organization:synth-zweckverband-{key}"
            self._organisation(org_id, f"Zweckverband Wasser {a['name']}", "PUBLIC_ENTERPRISE", None,
                               a["county_ags"], rng.randint(3, 6), f"Zweckverband {a['name']}")
            for m in owners:
                self.rows.add_rel("OWNED_BY", org_id, m["id"], share=math.floor(10_000 / len(owners)) / 10_000)

    # ---- who knows whom --------------------------------------------------------------------------
    def _link(self, a: int, b: int, context: str) -> bool:
        if a == b:
            return False
        pair = (a, b) if a < b else (b, a)
        if pair in self.knows:
            return False
        self.knows.add(pair)
        self.knows_context[pair] = context
        return True

    def _knows(self) -> None:
        for org_id, staff in self.staff.items():  # dense inside an organisation
            rng = self.rng("inside", org_id)
            n = len(staff)
            for i in range(n):
                if n <= 8:
                    for j in range(i + 1, n):
                        self._link(staff[i], staff[j], "Verwaltung")
                    continue
                for step in range(1, 5):
                    self._link(staff[i], staff[(i + step) % n], "Verwaltung")
                for _ in range(2):
                    self._link(staff[i], staff[rng.randrange(n)], "Verwaltung")
        for m in self.municipalities:  # liaisons municipality <-> Amt <-> county
            rng = self.rng("liaison", m["ags"])
            own = self.staff[f"Organization:synth-gemeinde-{m['ags']}"]
            upper = [f"Organization:synth-amt-{m['ars'][:9]}", f"Organization:synth-kreis-{m['county_ags']}"]
            for org_id in upper:
                if org_id in self.staff:
                    for person in (own[0], rng.choice(own)):
                        self._link(person, rng.choice(self.staff[org_id]), "Kreis-Gemeinde")
        for a in self.associations:
            rng = self.rng("liaison", a["id"])
            county_staff = self.staff.get(f"Organization:synth-kreis-{a['county_ags']}")
            if county_staff:
                self._link(self.staff[f"Organization:synth-amt-{key_of(a['id'])}"][0], rng.choice(county_staff),
                           "Kreis-Amt")
        self._sparse_links()
        for (a, b) in sorted(self.knows):
            self.rows.add_rel("KNOWS", self.actors[a], self.actors[b], context=self.knows_context[(a, b)],
                              since=f"{2005 + (a * 7 + b) % 20}-01-01")
        self.knows_context.clear()

    def _sparse_links(self) -> None:
        """Fill up to the KNOWS target: 60 % within the county, 30 % within the state, 10 % anywhere."""
        rng = self.rng("sparse")
        by_county: dict[str, list[int]] = defaultdict(list)
        by_state: dict[str, list[int]] = defaultdict(list)
        for index, county in enumerate(self.actor_county):
            by_county[county].append(index)
            by_state[county[:2]].append(index)
        total = len(self.actors)
        attempts = 0
        while len(self.knows) < self.sizes.knows and attempts < 4 * self.sizes.knows:
            attempts += 1
            a = rng.randrange(total)
            r = rng.random()
            if r < 0.6:
                pool = by_county[self.actor_county[a]]
                context = "Kreis"
            elif r < 0.9:
                pool = by_state[self.actor_county[a][:2]]
                context = "Land"
            else:
                pool, context = None, "Bund"
            b = pool[rng.randrange(len(pool))] if pool else rng.randrange(total)
            self._link(a, b, context)

    # ---- solutions and their adoption --------------------------------------------------------
    def _concepts(self) -> tuple[list[str], list[str]]:
        categories, needs = [], []
        for scheme, labels, prefix, out in (("synth-kategorien", CATEGORIES, "kat", categories),
                                            ("synth-bedarfe", NEEDS, "bedarf", needs)):
            for i, label in enumerate(labels):
                top = f"Concept:synth-{prefix}-{i:02d}"
                self.rows.add_node("Concept", {"id": top, "label": label, "scheme": scheme})
                for j in range(1, 5):
                    sub = f"{top}-{j}"
                    self.rows.add_node("Concept", {"id": sub, "label": f"{label}: Schwerpunkt {j}", "scheme": scheme})
                    self.rows.add_rel("BROADER", sub, top)
                    out.append(sub)
        return categories, needs

    def _solutions(self) -> None:
        categories, needs = self._concepts()
        rng = self.rng("solutions")
        self.solutions: list[str] = []
        for i in range(1, self.sizes.solutions + 1):
            solution_id = f"Solution:synth-loesung-{i:04d}"
            name = f"{ADJECTIVES[i % len(ADJECTIVES)]} {NOUNS[(i // len(ADJECTIVES)) % len(NOUNS)]} {i}"
            category, need = rng.choice(categories), rng.choice(needs)
            self.rows.add_node("Solution", {
                "id": solution_id, "name": name, "maturity": rng.choice(("idea", "pilot", "proven", "scaled")),
                "summary": f"Synthetische Lösung zum Bedarf {need.rsplit(':', 1)[1]} im Bereich "
                           f"{CATEGORIES[int(category.split('-')[2])]}."})
            for concept in {category, rng.choice(categories)}:
                self.rows.add_rel("IN_CATEGORY", solution_id, concept)
            for concept in {need, rng.choice(needs)}:
                self.rows.add_rel("ADDRESSES", solution_id, concept)
            origin = rng.choice(self.municipalities)
            self.rows.add_rel("ORIGINATED_BY", solution_id, f"Organization:synth-gemeinde-{origin['ags']}")
            self.solutions.append(solution_id)

    def _adoptions(self) -> None:
        rng = self.rng("adoptions")
        munis = self.municipalities
        weights = list(accumulate(math.sqrt(m["population"]) for m in munis))
        by_county: dict[str, list[int]] = defaultdict(list)
        by_state: dict[str, list[int]] = defaultdict(list)
        for index, m in enumerate(munis):
            by_county[m["county_ags"]].append(index)
            by_state[m["ags"][:2]].append(index)

        def anywhere() -> int:
            return bisect_left(weights, rng.random() * weights[-1])

        popularity = list(accumulate(1 / (i + 1) ** 0.8 for i in range(len(self.solutions))))
        per_solution = [0] * len(self.solutions)
        for _ in range(self.sizes.adoptions):
            per_solution[bisect_left(popularity, rng.random() * popularity[-1])] += 1
        for s_index in range(len(per_solution)):  # more adoptions than adopters: the rest go to the next one
            excess = per_solution[s_index] - len(munis)
            if excess > 0 and s_index + 1 < len(per_solution):
                per_solution[s_index] -= excess
                per_solution[s_index + 1] += excess
        number = 0
        for s_index, count in enumerate(per_solution):
            count = min(count, len(munis))
            solution_id = self.solutions[s_index]
            start = rng.randint(2012, 2020) * 365
            days = sorted(rng.randrange(0, (2026 * 365 - start)) for _ in range(count))
            taken: dict[int, str] = {}
            for k in range(count):
                teacher = None
                if taken:
                    earlier = rng.choice(list(taken)) if k < 64 else list(taken)[rng.randrange(len(taken))]
                    r = rng.random()
                    pool = (by_county[munis[earlier]["county_ags"]] if r < 0.6
                            else by_state[munis[earlier]["ags"][:2]] if r < 0.85 else None)
                    for _ in range(6):
                        pick = pool[rng.randrange(len(pool))] if pool else anywhere()
                        if pick not in taken:
                            break
                    else:
                        pick = next(i for i in range(len(munis)) if i not in taken)
                    if pool is not None or rng.random() < 0.2:
                        teacher = taken[earlier]
                else:
                    pick = anywhere()
                number += 1
                adoption_id = f"Adoption:synth-a{number:06d}"
                taken[pick] = adoption_id
                self._adoption(rng, adoption_id, solution_id, munis[pick], start + days[k], k / max(1, count), teacher)

    def _adoption(self, rng: random.Random, adoption_id: str, solution_id: str, municipality: dict[str, Any],
                  day: int, position: float, teacher: str | None) -> None:
        year, rest = divmod(day, 365)
        status = "ABANDONED" if rng.random() < 0.05 else rng.choice(STATUS_EARLY if position < 0.6 else STATUS_LATE)
        self.rows.add_node("Adoption", {"id": adoption_id, "status": status,
                                        "started_on": _date_of(year, rest)})
        self.rows.add_rel("OF", adoption_id, solution_id)
        admin = f"Organization:synth-gemeinde-{municipality['ags']}"
        r = rng.random()
        adopter = admin if r < 0.05 else f"County:{municipality['county_ags']}" if r < 0.1 else municipality["id"]
        if adopter.startswith("County:") and municipality["county_ags"] not in self.county_keys:
            adopter = municipality["id"]  # a kreisfreie Stadt of a state-level unit has no county node
        self.rows.add_rel("BY", adoption_id, adopter)
        if teacher:
            self.rows.add_rel("LEARNED_FROM", adoption_id, teacher)
        if rng.random() < 0.3:
            self.rows.add_rel("CONTACT", adoption_id, self.actors[rng.choice(self.staff[admin])])
        self.rows.add_rel("SOURCED_FROM", adoption_id, SOURCE_ID)


def _date_of(year: int, day_of_year: int) -> str:
    """An ISO date that grows with the day (0-364), so a teacher never starts after its learner."""
    return f"{year}-{day_of_year // 31 + 1:02d}-{(day_of_year % 31) * 28 // 31 + 1:02d}"
