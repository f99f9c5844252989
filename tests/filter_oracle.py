"""An independent evaluator of GraphQL filter inputs in plain Python over every row of a store.

It reads the GraphQL filter input exactly as a client writes it (camelCase keys, `AND`/`OR`/
`NOT`) and decides each node from the raw nodes and relationships (`mission_oracle.raw_rows`),
without the schema's filter trees or the store's Cypher. It imports nothing of the production
filter code; the rules it encodes are the documented ones (field descriptions in the SDL and
docs/mission.md: "active" = PILOT/ADOPTED/SCALED, a municipality's adoptions include its
administration's, categories include narrower ones, text folds German spellings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from tests.mission_oracle import Raw

ACTIVE = {"PILOT", "ADOPTED", "SCALED"}
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PREFIX = {"State": 2, "County": 5, "Association": 9, "Municipality": 12}


def folded(text: str) -> str:
    return text.lower().translate(_FOLD)


class FilterOracle:
    def __init__(self, raw: Raw):
        self.raw = raw
        self.out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.into: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for rel, pairs in raw.edges.items():
            for a, b in pairs:
                self.out[rel][a].append(b)
                self.into[rel][b].append(a)

    def of_label(self, label: str) -> list[str]:
        return sorted(i for i, d in self.raw.nodes.items() if d["_label"] == label)

    # ---- shared pieces ----------------------------------------------------------------------
    def prefix(self, territory: str) -> str:
        node = self.raw.nodes[territory]
        return node["ars"][:_PREFIX[node["_label"]]]

    def text(self, stored: Any, condition: dict[str, Any]) -> bool:  # noqa: ANN401
        if stored is None:
            return not any(v is not None for v in condition.values())
        value = folded(str(stored))
        checks: list[Callable[[], bool]] = []
        if condition.get("equals") is not None:
            checks.append(lambda: value == folded(condition["equals"]))
        if condition.get("in") is not None:
            checks.append(lambda: value in {folded(v) for v in condition["in"]})
        if condition.get("contains") is not None:
            checks.append(lambda: folded(condition["contains"]) in value)
        if condition.get("startsWith") is not None:
            checks.append(lambda: value.startswith(folded(condition["startsWith"])))
        return all(check() for check in checks)

    @staticmethod
    def ordered(stored: Any, condition: dict[str, Any]) -> bool:  # noqa: ANN401
        if stored is None:
            return not any(v is not None for v in condition.values())
        bounds = {"equals": lambda v: stored == v, "in": lambda v: stored in v, "lt": lambda v: stored < v,
                  "lte": lambda v: stored <= v, "gt": lambda v: stored > v, "gte": lambda v: stored >= v}
        return all(bounds[k](v) for k, v in condition.items() if v is not None)

    def combine(self, f: dict[str, Any], node: str, own: bool, check: Callable[[dict[str, Any], str], bool]) -> bool:
        if not own:
            return False
        if f.get("AND") is not None and not all(check(g, node) for g in f["AND"]):
            return False
        if f.get("OR") is not None and not any(check(g, node) for g in f["OR"]):
            return False
        return not (f.get("NOT") is not None and check(f["NOT"], node))

    # ---- municipalities ---------------------------------------------------------------------
    def adoptions_of_municipality(self, m: str) -> list[str]:
        own = self.into["BY"][m]
        via = [a for org in self.into["ADMINISTERS"][m] if self.raw.nodes[org]["_label"] == "Organization"
               for a in self.into["BY"][org]]
        return own + via

    def municipality(self, f: dict[str, Any], m: str) -> bool:
        d = self.raw.nodes[m]
        pop = d.get("population")
        checks = [
            f.get("county") is None or d.get("county_ags") == f["county"].split(":")[1],
            f.get("countyIn") is None or d.get("county_ags") in {c.split(":")[1] for c in f["countyIn"]},
            f.get("association") is None or d["ars"].startswith(self.prefix(f["association"])),
            not f.get("nameContains") or (d.get("name") is not None
                                          and folded(f["nameContains"].strip()) in folded(d["name"])),
            f.get("minPopulation") is None or (pop is not None and pop >= f["minPopulation"]),
            f.get("maxPopulation") is None or (pop is not None and pop <= f["maxPopulation"]),
            f.get("idIn") is None or m in f["idIn"],
            f.get("name") is None or self.text(d.get("name"), f["name"]),
            f.get("population") is None or self.ordered(pop, f["population"]),
        ]
        if f.get("hasAdopted") or f.get("hasAdoptedStatus") is not None:
            statuses = set(f["hasAdoptedStatus"]) if f.get("hasAdoptedStatus") is not None else ACTIVE
            checks.append(any(self.raw.nodes[a]["status"] in statuses
                              and (not f.get("hasAdopted") or f["hasAdopted"] in self.out["OF"][a])
                              for a in self.adoptions_of_municipality(m)))
        if f.get("adoptionsSome") is not None:
            checks.append(any(self.adoption(f["adoptionsSome"], a) for a in self.adoptions_of_municipality(m)))
        return self.combine(f, m, all(checks), self.municipality)

    # ---- adoptions ---------------------------------------------------------------------------
    def adopter_within(self, a: str, prefix: str) -> bool:
        for adopter in self.out["BY"][a]:
            if (self.raw.nodes[adopter].get("ars") or "").startswith(prefix):
                return True
            if self.raw.nodes[adopter]["_label"] == "Organization":
                served = self.out["ADMINISTERS"][adopter] + self.out["SERVES"][adopter]
                if any((self.raw.nodes[t].get("ars") or "").startswith(prefix) for t in served):
                    return True
        return False

    def adoption(self, f: dict[str, Any], a: str) -> bool:
        d = self.raw.nodes[a]
        solutions, adopters = self.out["OF"][a], self.out["BY"][a]
        started = d.get("started_on")
        checks = [
            f.get("solution") is None or f["solution"] in solutions,
            f.get("adopter") is None or f["adopter"] in adopters,
            f.get("within") is None or self.adopter_within(a, self.prefix(f["within"])),
            f.get("status") is None or d["status"] in f["status"],
            f.get("since") is None or (started is not None and started >= f["since"]),
            f.get("active") is None or (d["status"] in ACTIVE) == f["active"],
            f.get("idIn") is None or a in f["idIn"],
            f.get("solutionIn") is None or any(s in f["solutionIn"] for s in solutions),
            f.get("startedOn") is None or self.ordered(started, f["startedOn"]),
            f.get("solutionIs") is None or any(self.solution(f["solutionIs"], s) for s in solutions),
        ]
        if f.get("adopterMunicipalityIs") is not None:
            municipalities = [x for x in adopters if self.raw.nodes[x]["_label"] == "Municipality"]
            municipalities += [t for x in adopters if self.raw.nodes[x]["_label"] == "Organization"
                               for t in self.out["ADMINISTERS"][x] if self.raw.nodes[t]["_label"] == "Municipality"]
            checks.append(any(self.municipality(f["adopterMunicipalityIs"], m) for m in municipalities))
        return self.combine(f, a, all(checks), self.adoption)

    # ---- solutions --------------------------------------------------------------------------
    def broader_or_self(self, concept: str) -> set[str]:
        seen, frontier = {concept}, [concept]
        for _ in range(5):
            frontier = [b for c in frontier for b in self.out["BROADER"][c]]
            seen.update(frontier)
        return seen

    def in_scheme(self, s: str, rel: str, wanted: set[str]) -> bool:
        return any(self.broader_or_self(c) & wanted for c in self.out[rel][s])

    def solution(self, f: dict[str, Any], s: str) -> bool:
        d = self.raw.nodes[s]
        adoptions = self.into["OF"][s]
        text = f.get("text")
        checks = [
            not (text and text.strip()) or any(v is not None and folded(text.strip()) in folded(v)
                                               for v in (d.get("name"), d.get("summary"))),
            f.get("category") is None or self.in_scheme(s, "IN_CATEGORY", {f["category"]}),
            f.get("need") is None or self.in_scheme(s, "ADDRESSES", {f["need"]}),
            f.get("awarded") is None or bool(self.out["RECEIVED"][s]) == f["awarded"],
            f.get("adoptedWithin") is None or any(
                self.raw.nodes[a]["status"] in ACTIVE and self.adopter_within(a, self.prefix(f["adoptedWithin"]))
                for a in adoptions),
            f.get("idIn") is None or s in f["idIn"],
            f.get("name") is None or self.text(d.get("name"), f["name"]),
            f.get("categoryIn") is None or self.in_scheme(s, "IN_CATEGORY", set(f["categoryIn"])),
            f.get("adoptionsSome") is None or any(self.adoption(f["adoptionsSome"], a) for a in adoptions),
        ]
        return self.combine(f, s, all(checks), self.solution)
