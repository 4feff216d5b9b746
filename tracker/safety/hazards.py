"""The clinical hazard log (DCB0129), kept as data in docs/safety/hazards.yaml.

Each hazard has its causes, its effect on the patient, its severity and likelihood before and
after the tracker's controls, and its controls; each control names the tests that prove it by
pytest node id, so the log stays true as the code changes (tests/safety/test_hazard_log.py).
Risk is read from the standard's five-by-five matrix of severity and likelihood.
"""

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from tracker.config import PROJECT_ROOT

SAFETY_DIR = PROJECT_ROOT / "docs" / "safety"
HAZARD_LOG = SAFETY_DIR / "hazards.yaml"

# The standard's scales, mildest first, each with what it means here.
SEVERITIES = {
    "Minor": "Inconvenience or minor upset for one patient; no injury.",
    "Significant": "Minor injury or significant distress for one patient, or inconvenience "
    "for several.",
    "Considerable": "Severe injury or severe distress for one patient from which they are "
    "expected to recover, or minor injury for several.",
    "Major": "Death or permanent life-changing harm for one patient, or severe injury for several.",
    "Catastrophic": "Death or permanent life-changing harm for several patients.",
}
LIKELIHOODS = {
    "Very low": "Negligible: almost no chance of it happening.",
    "Low": "Could happen, but on almost every occasion will not.",
    "Medium": "Possible.",
    "High": "Not certain, but to be expected in most cases.",
    "Very high": "Certain or almost certain.",
}
# Risk by likelihood (rows, mildest first) and severity (columns, mildest first).
MATRIX = {
    "Very low": (1, 1, 2, 2, 3),
    "Low": (1, 2, 2, 3, 4),
    "Medium": (2, 2, 3, 3, 4),
    "High": (2, 3, 3, 4, 5),
    "Very high": (3, 4, 4, 5, 5),
}
RISK_MEANING = {
    1: "Acceptable: nothing more needs doing.",
    2: "Acceptable where further reduction would cost more than it would gain.",
    3: "Undesirable: to be reduced further unless that is impractical.",
    4: "Unacceptable until the hazard is removed or controlled further.",
    5: "Unacceptable.",
}
# The highest residual risk this log accepts for the tracker as built.
HIGHEST_ACCEPTED = 2


class HazardStatus(StrEnum):
    """Where a hazard stands: open (more to do), closed (controlled in the tracker), or
    transferred (its residual control rests partly with the deploying organisation)."""

    OPEN = "open"
    CLOSED = "closed"
    TRANSFERRED = "transferred"


def risk(severity: str, likelihood: str) -> int:
    return MATRIX[likelihood][list(SEVERITIES).index(severity)]


@dataclass(frozen=True)
class Assessment:
    severity: str
    likelihood: str

    @property
    def risk(self) -> int:
        return risk(self.severity, self.likelihood)


@dataclass(frozen=True)
class Control:
    control: str
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Hazard:
    id: str
    key: str
    title: str
    causes: tuple[str, ...]
    effect: str
    before: Assessment
    controls: tuple[Control, ...]
    after: Assessment
    status: str
    deploying_organisation: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """How the hazard is named in a failing test's message: its id and title."""
        return f"{self.id} {self.title}"


@dataclass(frozen=True)
class HazardLog:
    system: str
    version: str
    intended_use: str
    scope: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    hazards: tuple[Hazard, ...]
    digest: str = field(compare=False)

    def by_key(self) -> dict[str, Hazard]:
        return {hazard.key: hazard for hazard in self.hazards}


class LogProblem(ValueError):
    """The hazard log cannot be read as a log: a field missing or of the wrong kind."""


def _assessment(found: dict, where: str) -> Assessment:
    if not isinstance(found, dict) or set(found) != {"severity", "likelihood"}:
        raise LogProblem(f"{where}: give a severity and a likelihood")
    if found["severity"] not in SEVERITIES:
        raise LogProblem(
            f"{where}: severity {found['severity']!r} is not one of {list(SEVERITIES)}"
        )
    if found["likelihood"] not in LIKELIHOODS:
        raise LogProblem(
            f"{where}: likelihood {found['likelihood']!r} is not one of {list(LIKELIHOODS)}"
        )
    return Assessment(found["severity"], found["likelihood"])


def _texts(found, where: str) -> tuple[str, ...]:
    if not isinstance(found, list) or not all(isinstance(t, str) and t.strip() for t in found):
        raise LogProblem(f"{where}: give a list of texts")
    return tuple(t.strip() for t in found)


def _hazard(found: dict) -> Hazard:
    where = f"hazard {found.get('id', '?')}"
    for name in ("id", "key", "title", "effect", "status"):
        if not isinstance(found.get(name), str) or not found[name].strip():
            raise LogProblem(f"{where}: {name} is missing")
    controls = []
    for number, control in enumerate(found.get("controls") or [], start=1):
        if not isinstance(control, dict) or not str(control.get("control", "")).strip():
            raise LogProblem(f"{where}, control {number}: say what the control is")
        controls.append(
            Control(
                str(control["control"]).strip(),
                _texts(control.get("tests") or [], f"{where}, control {number}, tests"),
            )
        )
    return Hazard(
        id=found["id"],
        key=found["key"],
        title=found["title"].strip(),
        causes=_texts(found.get("causes"), f"{where}, causes"),
        effect=found["effect"].strip(),
        before=_assessment(found.get("before"), f"{where}, before its controls"),
        controls=tuple(controls),
        after=_assessment(found.get("after"), f"{where}, after its controls"),
        status=found["status"],
        deploying_organisation=_texts(
            found.get("deploying_organisation") or [], f"{where}, deploying organisation"
        ),
    )


def load(path: Path = HAZARD_LOG) -> HazardLog:
    text = path.read_text(encoding="utf-8")
    found = yaml.safe_load(text)
    if not isinstance(found, dict) or not isinstance(found.get("hazards"), list):
        raise LogProblem(f"{path.name}: no list of hazards")
    return HazardLog(
        system=found["system"],
        version=str(found["version"]),
        intended_use=found["intended_use"].strip(),
        scope=_texts(found.get("scope"), "scope"),
        out_of_scope=_texts(found.get("out_of_scope"), "out of scope"),
        hazards=tuple(_hazard(hazard) for hazard in found["hazards"]),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def problems(log: HazardLog) -> list[str]:
    """What makes the log unfit to hand over, each naming its hazard; empty when fit."""
    found = []
    ids = [hazard.id for hazard in log.hazards]
    keys = [hazard.key for hazard in log.hazards]
    for name, values in (("id", ids), ("key", keys)):
        repeated = sorted({value for value in values if values.count(value) > 1})
        if repeated:
            found.append(f"The {name}s {', '.join(repeated)} are used more than once")
    for hazard in log.hazards:
        if not hazard.controls:
            found.append(f"{hazard.name}: no control")
        for control in hazard.controls:
            if not control.tests:
                found.append(f"{hazard.name}: the control {control.control!r} names no test")
        if hazard.status not in set(HazardStatus):
            found.append(
                f"{hazard.name}: status {hazard.status!r} is not one of {[s.value for s in HazardStatus]}"
            )
        if hazard.after.risk > hazard.before.risk:
            found.append(f"{hazard.name}: its controls raise the risk")
        if hazard.after.risk > HIGHEST_ACCEPTED:
            found.append(
                f"{hazard.name}: residual risk {hazard.after.risk} is above the "
                f"{HIGHEST_ACCEPTED} this log accepts"
            )
    return found
