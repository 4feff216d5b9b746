"""The bench-only page added to the app in the bench's own processes, never in the product.

`GET /bench/minimal` is the floor for the baseline target: a 200 from the same app (its
request hooks, session handling and security headers) that reads nothing from the database and
renders a tiny template from the app's own Jinja environment, without the context processors
a full page's layout needs.
"""

from flask import Blueprint, Flask, current_app

MINIMAL_PATH = "/bench/minimal"
_TEMPLATE = "<!DOCTYPE html><html lang=en><title>{{ title }}</title><p>{{ message }}</p></html>"

pages = Blueprint("bench_pages", __name__)


@pages.route(MINIMAL_PATH)
def minimal():
    # Compiled once, as Flask's own templates are: a floor that compiled its template on every
    # request would flatter every page measured against it.
    template = current_app.extensions.get("bench_minimal")
    if template is None:
        template = current_app.extensions["bench_minimal"] = current_app.jinja_env.from_string(
            _TEMPLATE
        )
    return template.render(title="Bench", message="A minimal response")


def add_bench_pages(app: Flask) -> Flask:
    app.register_blueprint(pages)
    return app
