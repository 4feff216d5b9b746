"""Serves the NHS.UK frontend's CSS, JavaScript and images from the npm install."""

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("assets", __name__)


@bp.route("/assets/<path:filename>")
def nhsuk(filename: str):
    """CSS and JS sit in dist/nhsuk; the images their CSS names, in dist/nhsuk/assets."""
    dist = Path(current_app.config["NHSUK_FRONTEND_DIR"])
    for folder in (dist / "assets", dist):
        if (folder / filename).is_file():
            return send_from_directory(folder, filename, max_age=3600)
    abort(404)
