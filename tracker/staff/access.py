"""Server-side role checks for views, and who may see clinical material."""

from collections.abc import Callable
from functools import wraps

from flask import abort, request
from flask_login import AnonymousUserMixin, current_user

from tracker.extensions import login_manager
from tracker.staff.models import Role, User

# The roles granted clinical material: clinical notes, clinical documents, letters with the
# reviewer's clinical detail, the outcome summary, and what any event says about them. A role
# not named here sees none of it, so a new role sees nothing clinical until it is granted.
CLINICAL_ROLES: frozenset[Role] = frozenset({Role.GP, Role.PRACTICE_MANAGER, Role.VISITING_GP})
# Those roles in the words the pages use; a test keeps the two together.
CLINICAL_AUDIENCE = "GPs and the practice manager"


def sees_clinical(user: User | AnonymousUserMixin) -> bool:
    """Whether this person may see (and so add) clinical material: the one rule that
    queries, downloads, letters, events and templates all ask. No one signed out does."""
    return getattr(user, "role", None) in CLINICAL_ROLES


# Reached by anyone signed in, whatever their role: signing in and out, their own account.
OWN_ACCOUNT_ENDPOINTS = frozenset(
    {
        "main.home",
        "main.healthz",
        "auth.login",
        "auth.logout",
        "auth.change_password",
        "practice.choose",
        "practice.case_in",
        "notifications.edit",
        "leave.own",
        "leave.remove",
        "security.sessions",
        "security.end_own_session",
        "security.end_other_sessions",
        "security.sign_in_code",
        "security.two_factor",
        "security.skip_enrolment",
        "static",
        "assets.nhsuk",
    }
)
# What a visiting GP (a GP of another practice in the PCN, given some of this practice's cases)
# may reach while working here beside their own account: the cases given to them with their
# letters and documents. Every other page of the practice answers "page not found", as for a
# practice they do not work in.
VISITOR_ENDPOINTS = OWN_ACCOUNT_ENDPOINTS | {
    "main.news_seen",
    "cases.show",
    "cases.act",
    "cases.download_document",
    "letters.print_view",
    "letters.draft_pdf",
    "letters.download",
}
# Someone working in no practice (a PCN or ICB manager) reaches their networks' figures.
NETWORK_BLUEPRINT = "network"


def may_open_case(user: User | AnonymousUserMixin, reviewer_id: int | None) -> bool:
    """Whether this person may open a case of the practice with this reviewer: a visiting GP
    only a case given to them; the practice's own staff any."""
    if getattr(user, "role", None) == Role.VISITING_GP:
        return reviewer_id is not None and reviewer_id == user.id
    return True


def keep_to_what_they_may_reach() -> None:
    """Before each request: a visiting GP reaching any page of the practice but those above,
    and someone with no role in the practice reaching any of its pages, get "page not found".
    (The network pages check who oversees what themselves.)"""
    endpoint = request.endpoint
    if (
        endpoint is None
        or endpoint in OWN_ACCOUNT_ENDPOINTS
        or request.blueprint == NETWORK_BLUEPRINT
    ):
        return
    if not current_user.is_authenticated:
        return
    role = current_user.role
    if role is None or (role == Role.VISITING_GP and endpoint not in VISITOR_ENDPOINTS):
        abort(404)


def roles_required(*roles: Role) -> Callable:
    """Let only signed-in staff with one of these roles reach the view; others get 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
