"""Second Opinion Tracker: the app factory."""

from flask import Flask, before_render_template, redirect, request, url_for
from flask_login import current_user
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

import tracker.models  # noqa: F401 - every model registered before migrations compare
from tracker import assets, clock, security
from tracker.admin.audit_log import bp as audit_bp
from tracker.admin.mail import bp as mail_bp
from tracker.admin.settings import bp as settings_bp
from tracker.admin.storage import bp as storage_bp
from tracker.admin.users import bp as staff_bp
from tracker.auth.leave import bp as leave_bp
from tracker.auth.notifications import bp as notifications_bp
from tracker.auth.oidc.client import init_sign_in
from tracker.auth.oidc.routes import bp as provider_sign_in_bp
from tracker.auth.practice import bp as practice_bp
from tracker.auth.routes import bp as auth_bp
from tracker.cases import presenters
from tracker.cases.routes import bp as cases_bp
from tracker.cli import register_cli
from tracker.config import PROJECT_ROOT, Config, config_from_environment, secret_key_problem
from tracker.demo import DEMO_PASSWORD
from tracker.errors import register_error_handlers
from tracker.extensions import (
    csrf,
    db,
    engine_options,
    login_manager,
    migrate,
    note_writes,
    notice_closed_connections,
    share_sqlite_between_workers,
)
from tracker.guidance.routes import bp as guidance_bp
from tracker.learning.routes import bp as improvement_bp
from tracker.letters.routes import bp as letters_bp
from tracker.main.news_list import news_list
from tracker.main.routes import bp as main_bp
from tracker.navigation import fill_layout
from tracker.practices.scope import check_every_statement, end_request, start_request
from tracker.practices.walls import (
    check_the_role_now,
    refuse_unsafe_roles,
    wall_every_transaction,
)
from tracker.queue.routes import bp as queue_bp
from tracker.queue.table import case_table
from tracker.reports.network import bp as network_bp
from tracker.reports.routes import bp as reports_bp
from tracker.security.providers import provider_label
from tracker.security.sessions import signed_in_at_a_provider
from tracker.settings.markup import drawn_from_settings
from tracker.settings.models import work_in_the_installs_only_practice
from tracker.staff.access import keep_to_what_they_may_reach, sees_clinical
from tracker.templating import TrackerEnvironment
from tracker.types import IdConverter


class TrackerFlask(Flask):
    """Flask set up for the NHS.UK Jinja macros: .jinja templates autoescaped (Flask only
    escapes .html by default) and chainable undefined values, which the macros rely on."""

    jinja_environment = TrackerEnvironment
    jinja_options = {
        "autoescape": True,
        "undefined": ChainableUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }


def create_app(config: Config | None = None) -> Flask:
    """Build the app from a config object, or from the environment when none is given."""
    config = config or config_from_environment()
    problem = secret_key_problem(config)
    if problem:
        raise RuntimeError(problem)
    app = TrackerFlask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.from_object(config)
    # Every <int:...> in every route, before any route is registered: an id beyond the
    # database's range answers 404.
    app.url_map.converters["int"] = IdConverter
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(app.template_folder), PackageLoader("nhsuk_frontend_jinja", "templates")]
    )

    register_extensions(app)
    register_blueprints(app)
    init_sign_in(app)
    register_practice_hooks(app)  # before every other hook: they read the practice's records
    security.init_app(app)  # before the other hooks: an ended session stops here
    register_request_hooks(app)
    register_template_context(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        (PROJECT_ROOT / "instance").mkdir(exist_ok=True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    db.init_app(app)
    with app.app_context():
        share_sqlite_between_workers(db.engine)
        notice_closed_connections(db.engine)
        note_writes(db.engine)
        if app.config.get("CHECK_PRACTICE_SCOPE"):
            check_every_statement(db.engine)
        if db.engine.dialect.name == "postgresql":
            wall_every_transaction(db.engine)
            if not app.config["DATABASE_MIGRATING"]:
                refuse_unsafe_roles(db.engine)
                check_the_role_now(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        assets.bp,
        auth_bp,
        provider_sign_in_bp,
        main_bp,
        cases_bp,
        queue_bp,
        reports_bp,
        staff_bp,
        settings_bp,
        storage_bp,
        audit_bp,
        guidance_bp,
        letters_bp,
        mail_bp,
        notifications_bp,
        practice_bp,
        leave_bp,
        network_bp,
        improvement_bp,
    ):
        app.register_blueprint(blueprint)


PASSWORD_CHANGE_EXEMPT = {
    "auth.change_password",
    "auth.logout",
    "assets.nhsuk",
    "static",
    "main.healthz",
}


def register_practice_hooks(app: Flask) -> None:
    @app.before_request
    def work_in_a_practice():
        """A signed-in request works in its session's practice (chosen as the session is
        read); anyone else in the install's only practice, or in none."""
        if request.endpoint in ("static", "assets.nhsuk", "main.healthz"):
            return
        start_request(None)
        if not current_user.is_authenticated:
            work_in_the_installs_only_practice()

    @app.teardown_request
    def leave_the_practice(_error=None):
        end_request()


def register_request_hooks(app: Flask) -> None:
    app.before_request(keep_to_what_they_may_reach)

    @app.before_request
    def require_new_password():
        """New and reset accounts choose their own password before anything else, unless
        they signed in at a provider, which needs none."""
        if (
            request.endpoint not in PASSWORD_CHANGE_EXEMPT
            and current_user.is_authenticated
            and current_user.must_change_password
            and not signed_in_at_a_provider()
        ):
            return redirect(url_for("auth.change_password"))
        return None

    @app.after_request
    def no_store_for_signed_in_pages(response):
        """Pages for signed-in staff may hold patient data: never keep them in a cache."""
        if request.endpoint not in ("assets.nhsuk", "static"):
            response.headers["Cache-Control"] = "no-store"
        return response


def error_anchor(field) -> str:
    """The id the error summary links to: the field, or its first part for a date."""
    return getattr(field, "error_anchor", None) or field.id


def register_template_context(app: Flask) -> None:
    app.jinja_env.globals["now_utc"] = lambda: clock.now_utc()
    app.jinja_env.globals["error_anchor"] = error_anchor
    app.jinja_env.globals["sees_clinical"] = sees_clinical
    app.jinja_env.globals["provider_label"] = provider_label
    app.jinja_env.globals["drawn_from_settings"] = drawn_from_settings
    app.jinja_env.globals.update(presenters.GLOBALS)
    app.jinja_env.globals["case_table"] = case_table
    app.jinja_env.globals["news_list"] = news_list
    app.jinja_env.filters.update(presenters.FILTERS)
    app.jinja_env.tests.update(presenters.TESTS)

    # What the layout shows is read before each page is drawn, not by the templates.
    before_render_template.connect(fill_layout, app)

    @app.context_processor
    def constants():
        return {"demo_password": DEMO_PASSWORD}
