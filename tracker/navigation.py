"""The layout around every page: the practice's name, the demo banner, who is signed in, their
"New for you" count and the header navigation for their role.

Everything the layout shows is read before the page starts to be drawn, inside the request's
error handling: a database lost at that point gives the outage page, and the templates read
nothing from the database themselves.
"""

from dataclasses import dataclass, field

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_login import current_user
from jinja2 import Environment, Template, nodes
from sqlalchemy import exists, select

from tracker.cases import news
from tracker.extensions import db, kept_a_while
from tracker.settings.models import DEFAULT_PRACTICE_NAME, Practice, load_settings
from tracker.staff.models import STAFF_ROLES, Role, User

LAYOUT_TEMPLATE = "layouts/base.jinja"
ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    roles: frozenset[Role]
    description: str = ""


PM_ONLY = frozenset({Role.PRACTICE_MANAGER})

NAV_ITEMS = (
    NavItem("Home", "main.home", ALL_ROLES),
    NavItem(
        "Log a request",
        "cases.new",
        frozenset({Role.RECEPTION, Role.PRACTICE_MANAGER}),
        "Record a patient's request for a second opinion.",
    ),
    NavItem(
        "Cases",
        "queue.index",
        frozenset(STAFF_ROLES),
        "Find a case and see what is waiting or overdue.",
    ),
    NavItem(
        "Actions",
        "improvement.index",
        frozenset(STAFF_ROLES),
        "What the practice is changing after its cases: who, by when, and what is done.",
    ),
    NavItem("Reports", "reports.monthly", PM_ONLY, "Monthly figures and CSV downloads."),
    NavItem(
        "Staff",
        "staff.index",
        PM_ONLY,
        "Add staff, change roles, reset passwords, deactivate leavers.",
    ),
    NavItem(
        "Settings", "settings.edit", PM_ONLY, "The practice's name, ODS code and other settings."
    ),
    NavItem(
        "Guidance",
        "guidance.index",
        PM_ONLY,
        "Change the guidance staff see beside each form, and bring back the shipped text.",
    ),
    NavItem(
        "Letters",
        "letters.index",
        PM_ONLY,
        "Change the letters the practice sends to patients, and bring back the shipped text.",
    ),
    NavItem(
        "Audit log",
        "audit.index",
        PM_ONLY,
        "Who saw and changed what, sign-ins, exports; subject access exports.",
    ),
)


@dataclass(frozen=True)
class Account:
    """The signed-in person as the header shows them."""

    name: str
    role_label: str
    new_for_you: int
    works_elsewhere: bool = False


@dataclass(frozen=True)
class Layout:
    """What the layout shows around a page, read before the page is drawn."""

    practice: Practice
    demo_mode: bool
    account: Account | None = None
    navigation: list[dict] = field(default_factory=list)


def navigation_for(user: User) -> list[dict]:
    """Items for this person's role whose pages exist, marking the one being shown."""
    items = []
    if user.role is None:  # a PCN or ICB manager working in no practice: their figures alone
        return [
            {
                "text": "Network figures",
                "href": url_for("network.index"),
                "current": request.blueprint == "network",
                "description": "Each practice's figures side by side, without identifiers.",
            }
        ]
    for item in NAV_ITEMS:
        if user.role not in item.roles or item.endpoint not in current_app.view_functions:
            continue
        section, _, page = item.endpoint.partition(".")
        current = request.endpoint == item.endpoint or (
            page == "index" and request.blueprint == section
        )
        items.append(
            {
                "text": item.text,
                "href": url_for(item.endpoint),
                "current": bool(current),
                "description": item.description,
            }
        )
    return items


def fallback_layout() -> Layout:
    """What the layout shows without the database: the default practice name, no one signed in."""
    return Layout(practice=Practice(practice_name=DEFAULT_PRACTICE_NAME), demo_mode=False)


_DEMO = "tracker.demo_data_present"  # kept_a_while's name


def demo_data_present() -> bool:
    """Whether demo accounts exist (the layout's banner), looked at again at most every
    SETTINGS_CHECKED_EVERY seconds in each worker: demo data comes only with `seed-demo`."""
    return kept_a_while(
        _DEMO,
        None,
        current_app.config["SETTINGS_CHECKED_EVERY"],
        lambda: bool(db.session.scalar(select(exists().where(User.is_demo)))),
    )


def read_layout() -> Layout:
    """Read what the layout shows, once a request. Database errors are not caught here: they
    reach the request's error handling (the outage page), never a page half drawn."""
    settings = load_settings()
    demo_mode = demo_data_present()
    if not current_user.is_authenticated:  # loads the person's row again if a commit expired it
        return Layout(practice=settings, demo_mode=demo_mode)
    user = current_user._get_current_object()
    account = Account(
        name=user.full_name,
        role_label=user.role_label,
        new_for_you=news.count_new(user),
        works_elsewhere=user.works_elsewhere,
    )
    return Layout(
        practice=settings, demo_mode=demo_mode, account=account, navigation=navigation_for(user)
    )


def layout() -> Layout:
    """This request's layout: read on first use, or the defaults once the database is known to
    be out of reach (set by the outage handling)."""
    if g.get("database_unavailable"):
        return fallback_layout()
    if "layout" not in g:
        g.layout = read_layout()
    return g.layout


_draws_layout: dict[str, bool] = {}


def draws_layout(environment: Environment, name: str | None) -> bool:
    """Whether a template is a page in the layout (it extends it, directly or through a parent),
    rather than an email or a letter."""
    if name is None:
        return False
    if name not in _draws_layout:
        source, _, _ = environment.loader.get_source(environment, name)
        parents = [
            node.template.value
            for node in environment.parse(source).find_all(nodes.Extends)
            if isinstance(node.template, nodes.Const)
        ]
        _draws_layout[name] = any(
            parent == LAYOUT_TEMPLATE or draws_layout(environment, parent) for parent in parents
        )
    return _draws_layout[name]


def fill_layout(app: Flask, template: Template, context: dict, **_extra) -> None:
    """Before a page is drawn, put what its layout shows in its context."""
    if not has_request_context() or not draws_layout(app.jinja_env, template.name):
        return
    shown = layout()
    context["layout"] = shown
    context.setdefault("practice", shown.practice)  # the pages' own PALS and address details
