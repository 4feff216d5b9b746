"""The header navigation for each role, built from the pages the app registers."""

from dataclasses import dataclass

from flask import current_app, request, url_for

from tracker.staff.models import Role, User

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
    NavItem("Cases", "queue.index", ALL_ROLES, "Find a case and see what is waiting or overdue."),
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


def navigation_for(user: User) -> list[dict]:
    """Items for this person's role whose pages exist, marking the one being shown."""
    items = []
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
