"""Serves the NHS.UK frontend's CSS, JavaScript and images from the npm install.

The stylesheet's web fonts (Frutiger) are hosted by NHS England at assets.nhs.uk and licensed
for NHS.UK; the tracker asks no third party for anything (its Content Security Policy allows
fonts from itself only), so the stylesheet is served without its @font-face rules and text
shows in Arial, the fallback NHS.UK names, with no blocked requests in the browser."""

import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_from_directory

bp = Blueprint("assets", __name__)

STYLESHEET = "nhsuk-frontend.min.css"
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


@lru_cache(maxsize=4)
def stylesheet_without_fonts(path: str, modified: float) -> tuple[bytes, str]:
    """The stylesheet with its @font-face rules taken out, and an ETag for it."""
    css = FONT_FACE.sub("", Path(path).read_text(encoding="utf-8")).encode("utf-8")
    return css, f"{int(modified)}-{len(css)}"


@bp.route("/assets/<path:filename>")
def nhsuk(filename: str):
    """CSS and JS sit in dist/nhsuk; the images their CSS names, in dist/nhsuk/assets."""
    dist = Path(current_app.config["NHSUK_FRONTEND_DIR"])
    if filename == STYLESHEET and (dist / STYLESHEET).is_file():
        path = dist / STYLESHEET
        css, etag = stylesheet_without_fonts(str(path), path.stat().st_mtime)
        response = Response(css, mimetype="text/css")
        response.set_etag(etag)
        response.cache_control.max_age = 3600
        response.cache_control.public = True
        return response.make_conditional(request)
    for folder in (dist / "assets", dist):
        if (folder / filename).is_file():
            return send_from_directory(folder, filename, max_age=3600)
    abort(404)
