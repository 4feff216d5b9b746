"""Server-side role checks for views, and who may see clinical material."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import AnonymousUserMixin, current_user

from tracker.extensions import login_manager
from tracker.staff.models import Role, User

# The roles granted clinical material: clinical notes, clinical documents, letters with the
# reviewer's clinical detail, the outcome summary, and what any event says about them. A role
# not named here sees none of it, so a new role sees nothing clinical until it is granted.
CLINICAL_ROLES: frozenset[Role] = frozenset({Role.GP, Role.PRACTICE_MANAGER})
# Those roles in the words the pages use; a test keeps the two together.
CLINICAL_AUDIENCE = "GPs and the practice manager"


def sees_clinical(user: User | AnonymousUserMixin) -> bool:
    """Whether this person may see (and so add) clinical material: the one rule that
    queries, downloads, letters, events and templates all ask. No one signed out does."""
    return getattr(user, "role", None) in CLINICAL_ROLES


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
