"""Every piece of guidance the sidebar can show, named after the page or case it belongs to.

Built from the workflow's stages and the intake routes, so a new stage or route brings its own
guidance topic with it.
"""

from dataclasses import dataclass

from tracker.cases.codes import Route
from tracker.cases.workflow import Stage


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    group: str
    shown: str


INTAKE = "intake"
NOTE_URGENT = "note_urgent"
NOTE_URGENT_TOLD = "note_urgent_told"
NOTE_FORMAL_COMPLAINT = "note_formal_complaint"
NOTE_REPRESENTATIVE = "note_representative"
NOTE_OVERDUE = "note_overdue"

GROUPS = (
    ("intake", "Logging a request"),
    ("stage", "Each stage of a case"),
    ("note", "Notes for some cases"),
)


def route_key(route: str) -> str:
    return f"route_{route}"


def stage_key(stage: str) -> str:
    return f"stage_{stage}"


def _topics() -> list[Topic]:
    found = [
        Topic(INTAKE, "Logging a request", "intake", "At the top of the intake form's guidance.")
    ]
    found += [
        Topic(
            route_key(route),
            f"Asking for: {Route(route).label}",
            "intake",
            "On the intake form when this is what the patient is asking for, and on a logged case.",
        )
        for route in Route
    ]
    found += [
        Topic(
            stage_key(stage),
            Stage(stage).label,
            "stage",
            f"On a case, and its action forms, while it is {Stage(stage).label.lower()}.",
        )
        for stage in Stage
    ]
    found += [
        Topic(
            NOTE_URGENT,
            "Urgent clinical concern",
            "note",
            "On every urgent case still open, until the duty doctor has been told.",
        ),
        Topic(
            NOTE_URGENT_TOLD,
            "Urgent clinical concern: duty doctor told",
            "note",
            "On every urgent case still open, once the duty doctor has been told.",
        ),
        Topic(
            NOTE_FORMAL_COMPLAINT,
            "Formal complaint",
            "note",
            "On every open case that is a formal complaint.",
        ),
        Topic(
            NOTE_REPRESENTATIVE,
            "Someone acting for the patient",
            "note",
            "On every case where someone is acting for the patient.",
        ),
        Topic(NOTE_OVERDUE, "Overdue", "note", "On every open case with a target passed."),
    ]
    return found


TOPICS: dict[str, Topic] = {topic.key: topic for topic in _topics()}
