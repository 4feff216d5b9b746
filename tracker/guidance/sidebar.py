"""What the guidance sidebar shows: for the intake form, or for a case as it stands now."""

from dataclasses import dataclass, field
from functools import lru_cache

from flask import g, has_request_context
from markupsafe import Markup

from tracker.cases import clocks
from tracker.cases.codes import Route
from tracker.cases.workflow import Stage
from tracker.guidance import topics as t
from tracker.guidance.services import GUIDANCE
from tracker.guidance.text_format import render
from tracker.versioned_text.services import CurrentText


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    html: Markup
    shown: bool = True
    pals: bool = False  # the local PALS office's details go with this section


@dataclass
class Sidebar:
    kind: str  # "intake" or a stage
    intro: Section | None = None
    routes: list[Section] = field(default_factory=list)
    chosen_route: str | None = None
    notes: list[Section] = field(default_factory=list)


NOTE_KEYS = {
    "urgent": t.NOTE_URGENT,
    "urgent_told": t.NOTE_URGENT_TOLD,
    "formal_complaint": t.NOTE_FORMAL_COMPLAINT,
    "representative": t.NOTE_REPRESENTATIVE,
    "overdue": t.NOTE_OVERDUE,
}


def current_guidance() -> dict[str, CurrentText]:
    """Every topic's text in force, read once a request (a page shows its sidebar twice: beside
    the form, and folded above its button on a phone)."""
    if not has_request_context():
        return GUIDANCE.current_texts()
    if "guidance_texts" not in g:
        g.guidance_texts = GUIDANCE.current_texts()
    return g.guidance_texts


@lru_cache(maxsize=256)
def rendered(text: str, top_level: int = 3) -> Markup:
    """A guidance text's markup, kept by the text itself: a saved version is new text, so it is
    rendered afresh in every worker on the next request, and an unchanged text never is."""
    return render(text, top_level)


def for_intake(form=None) -> Sidebar:
    """Guidance for every route, with the chosen route's shown; notes for what is ticked."""
    texts = current_guidance()
    chosen = getattr(getattr(form, "route_requested", None), "data", None)
    chosen = chosen if chosen in set(Route) else None
    answered = {
        "urgent": _field(form, "urgent") == "yes",
        "formal_complaint": _field(form, "formal_complaint") == "yes",
        "representative": bool(_field(form, "representative_name")),
    }
    return Sidebar(
        kind="intake",
        intro=Section(t.INTAKE, "Logging a request", rendered(texts[t.INTAKE].body)),
        routes=[
            Section(
                route.value,
                Route(route).label,
                rendered(texts[t.route_key(route)].body, top_level=5),
                shown=chosen is None or chosen == route,
                pals=route == Route.PALS,
            )
            for route in Route
        ],
        chosen_route=chosen,
        notes=[
            Section(name, t.TOPICS[key].title, rendered(texts[key].body), shown=answered[name])
            for name, key in NOTE_KEYS.items()
            if name in answered
        ],
    )


def for_case(case, overdue: bool) -> Sidebar:
    """The stage's guidance, the route's while it waits for a reviewer, and the notes that apply."""
    stage = Stage(case.stage)
    applies = {
        "urgent": case.urgent and case.is_open and case.duty_doctor_told_at is None,
        "urgent_told": case.urgent and case.is_open and case.duty_doctor_told_at is not None,
        "formal_complaint": case.formal_complaint and case.is_open,
        "representative": bool(case.representative_name),
        "overdue": overdue and case.is_open,
    }
    keys = [t.stage_key(stage)]
    if stage == Stage.LOGGED and case.route_requested in set(Route):
        keys.append(t.route_key(case.route_requested))
    keys += [NOTE_KEYS[name] for name, applied in applies.items() if applied]
    texts = current_guidance()
    sidebar = Sidebar(
        kind=stage.value,
        intro=Section(
            t.stage_key(stage),
            Stage(stage).label,
            rendered(texts[t.stage_key(stage)].body),
            pals=stage == Stage.REFERRED_TO_PALS,
        ),
        notes=[
            Section(name, t.TOPICS[NOTE_KEYS[name]].title, rendered(texts[NOTE_KEYS[name]].body))
            for name, applied in applies.items()
            if applied
        ],
    )
    if len(keys) > 1 and keys[1].startswith("route_"):
        route = Route(case.route_requested)
        sidebar.routes = [
            Section(
                route.value,
                Route(route).label,
                rendered(texts[keys[1]].body, top_level=4),
                pals=route == Route.PALS,
            )
        ]
        sidebar.chosen_route = route.value
    return sidebar


def _field(form, name: str):
    found = getattr(form, name, None) if form is not None else None
    return getattr(found, "data", None)


def guidance_sidebar(case=None, form=None) -> Sidebar:
    """Template helper: the sidebar for this case, or for the intake form when there is none."""
    if case is None:
        return for_intake(form)
    return for_case(case, clocks.is_overdue(clocks.due_dates(case)))
