"""Error pages in the NHS.UK style for 403, 404, 413, 500, an expired form, and the database
being out of reach (503, drawn without the database)."""

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from tracker.cases.attachments import MAX_SIZE_TEXT
from tracker.extensions import db, end_quietly, login_manager

# A lost or refused connection, a server shutting down, a missing SQLite file, a pool with no
# connection to give: the database is out of reach, not the request at fault.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 60


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_UNAVAILABLE)


def short_text(error: BaseException) -> str:
    """The first line of the driver's message: never the SQL or its parameters, which may
    hold patient details."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    first = lines[0] if lines else ""
    return f"{type(cause).__name__}: {first}"[:300]


def release_session() -> None:
    """Give the connection back, whatever state it is in; a dead one is thrown away, so the
    pool reconnects once the database is back."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session().invalidate()  # the Session itself: the scoped proxy has no invalidate


def without_database() -> None:
    """Draw the rest of this request's pages without the database: the layout uses its defaults
    instead of the practice's settings, even where it had read them already, and no one is shown
    as signed in (loading the signed-in person reads the database). Their session cookie is left
    as it was."""
    release_session()
    g.database_unavailable = True
    g._login_user = login_manager.anonymous_user()  # where Flask-Login keeps this request's user


def database_unavailable(error: BaseException):
    """503 with a page that needs nothing from the database, a Retry-After header and one
    log line (no traceback: the cause is outside the app)."""
    without_database()
    current_app.logger.warning(
        "Database unavailable: %s %s answered 503 (%s)",
        request.method,
        request.path,
        short_text(error),
    )
    response = current_app.make_response(
        (render_template("errors/database_unavailable.jinja"), 503)
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def error_page(template: str, status: int, **context):
    """An error page; if reading what its layout shows fails (who is signed in, the practice's
    name), drawn again without the database."""
    try:
        return render_template(template, **context), status
    except SQLAlchemyError:
        without_database()
        return render_template(template, **context), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        return error_page("errors/400.jinja", 400, description=getattr(error, "description", ""))

    @app.errorhandler(403)
    def forbidden(error):
        return error_page("errors/403.jinja", 403)

    @app.errorhandler(404)
    def not_found(error):
        return error_page("errors/404.jinja", 404)

    @app.errorhandler(413)
    def too_large(error):
        # The form could not be read, so the page sends the person back to a fresh copy of it.
        back = request.path if request.method == "POST" else None
        return error_page("errors/413.jinja", 413, back=back, max_size=MAX_SIZE_TEXT)

    @app.errorhandler(CSRFError)
    def form_expired(error):
        return error_page("errors/form_expired.jinja", 400)

    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)

    @app.teardown_appcontext
    def close_session(error):
        """Close the request's session before Flask-SQLAlchemy removes it (the last teardown
        registered runs first): a connection lost since the page's last query fails to roll
        back, and is thrown away here rather than failing a page already drawn."""
        try:
            if error is None:
                end_quietly(db.session())
            db.session.close()
        except SQLAlchemyError as lost:
            current_app.logger.warning(
                "Database connection lost at the end of a request (%s)", short_text(lost)
            )
            db.session().invalidate()  # the Session itself: the scoped proxy has no invalidate

    @app.errorhandler(500)
    def server_error(error):
        original = getattr(error, "original_exception", None)
        if is_database_outage(original):
            return database_unavailable(original)
        release_session()
        return error_page("errors/500.jinja", 500)
