"""Error pages in the NHS.UK style for 403, 404, 413, 500 and an expired form."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from tracker.extensions import db


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        return render_template(
            "errors/400.jinja", description=getattr(error, "description", "")
        ), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("errors/403.jinja"), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.jinja"), 404

    @app.errorhandler(413)
    def too_large(error):
        # The form could not be read, so the page sends the person back to a fresh copy of it.
        back = request.path if request.method == "POST" else None
        return render_template("errors/413.jinja", back=back), 413

    @app.errorhandler(CSRFError)
    def form_expired(error):
        return render_template("errors/form_expired.jinja"), 400

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/500.jinja"), 500
