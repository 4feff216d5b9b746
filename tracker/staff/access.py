"""Server-side role checks for views."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from tracker.extensions import login_manager
from tracker.staff.models import Role


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
