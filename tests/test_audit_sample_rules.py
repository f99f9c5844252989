"""The bundled sample does not contradict the rules it illustrates — checked in plain Python over the YAML.

Read straight from `data/sample/curated` (not through the loader or the store), so a rule the
loader forgets is still checked. Found by the audit: Ratzeburg's PLANNED innovation workshops
"learned from" Hagenow's, which were only PLANNED themselves (nothing had happened to learn
from); awarded_solutions counted PLANNED adopters as users (see test_mission_rdf_oracle.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from graph_api.config import SAMPLE_DIR
from graph_api.mission import definitions

CURATED = SAMPLE_DIR / "curated"


def _records(name: str) -> list[dict]:
    return yaml.safe_load((CURATED / f"{name}.yaml").read_text(encoding="utf-8"))


def _adoptions() -> dict[str, dict]:
    return {f"Adoption:{a['id']}": a for a in _records("adoptions")}


def _sources() -> dict[str, dict]:
    return {f"Source:{s['id']}": s for s in _records("sources")}


def test_a_teacher_is_an_adoption_of_the_same_solution_that_took_place_before_its_learner() -> None:
    adoptions = _adoptions()
    taken_place = set(definitions.ACTIVE) | set(definitions.ENDED)
    wrong = []
    for learner_id, learner in adoptions.items():
        for teacher_id in learner.get("learned_from") or []:
            teacher = adoptions[teacher_id]
            if teacher["solution"] != learner["solution"]:
                wrong.append(f"{learner_id} learned {learner['solution']} from {teacher_id} ({teacher['solution']})")
            if teacher["status"] not in taken_place:
                wrong.append(f"{learner_id} learned from {teacher_id}, which is only {teacher['status']}")
            started, taught = learner.get("started_on"), teacher.get("started_on")
            if started and taught and taught > started:
                wrong.append(f"{learner_id} ({learner['started_on']}) learned from the later {teacher_id} "
                             f"({teacher['started_on']})")
    assert wrong == []


def test_statuses_and_end_dates_agree() -> None:
    wrong = []
    for adoption_id, adoption in _adoptions().items():
        ended = adoption.get("ended_on")
        if adoption["status"] in definitions.ENDED and not ended:
            wrong.append(f"{adoption_id} is {adoption['status']} without an end date")
        if adoption["status"] not in definitions.ENDED and ended:
            wrong.append(f"{adoption_id} is {adoption['status']} but ended on {ended}")
        if ended and adoption.get("started_on") and ended < adoption["started_on"]:
            wrong.append(f"{adoption_id} ended before it started")
    assert wrong == []


def test_evidence_is_measured_while_or_after_its_adoption_ran() -> None:
    adoptions = _adoptions()
    wrong = []
    for evidence in _records("evidence"):
        for target in evidence.get("evidence_of") or []:
            adoption = adoptions.get(target)
            if adoption is None:
                continue  # evidence of a solution as a whole
            if adoption["status"] in definitions.INTERESTED:
                wrong.append(f"{evidence['id']} measures {target}, which is only {adoption['status']}")
            started = adoption.get("started_on")
            if started and evidence.get("measured_on") and evidence["measured_on"] < started:
                wrong.append(f"{evidence['id']} was measured on {evidence['measured_on']}, before {target} started")
    assert wrong == []


def test_every_award_and_every_awarding_cites_a_source_and_fictitious_awards_say_so() -> None:
    sources = _sources()
    illustrative = {s for s, record in sources.items() if record.get("illustrative")}
    awards = {f"Award:{a['id']}": a for a in _records("awards")}
    wrong = []
    for award_id, award in awards.items():
        cited = award.get("sources") or []
        if not cited:
            wrong.append(f"{award_id} cites no source")
        elif set(cited) <= illustrative and "fiktiv" not in award["name"].lower():
            wrong.append(f"{award_id} is only illustrative but its name does not say it is fictitious")
    for solution in _records("solutions"):
        for awarding in solution.get("awards") or []:
            if not (awarding.get("source") or solution.get("sources")):
                wrong.append(f"Solution:{solution['id']} received {awarding['award']} without a source")
            if awarding["award"] not in awards:
                wrong.append(f"Solution:{solution['id']} received an unknown {awarding['award']}")
            if awarding["award"] == definitions.SEAL_AWARD_ID and (
                    awarding.get("source") or "") in illustrative:
                wrong.append(f"Solution:{solution['id']}: the real seal cannot rest on an illustrative source")
    assert wrong == []


def test_every_adoption_cites_a_known_source() -> None:
    sources = _sources()
    wrong = [f"{a}: {record.get('sources')}" for a, record in _adoptions().items()
             if not record.get("sources") or not set(record["sources"]) <= set(sources)]
    assert wrong == []


def test_the_sample_dates_are_dates() -> None:
    """YAML reads 2024-03-01 as a date; a quoted or misspelt one would compare as text above."""
    for adoption_id, adoption in _adoptions().items():
        for key in ("started_on", "ended_on"):
            assert adoption.get(key) is None or isinstance(adoption[key], dt.date), (adoption_id, key)
    assert Path(CURATED).is_dir()
