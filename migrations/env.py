"""Alembic environment: runs against the app's database with the app's metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from tracker.practices.walls import grant_to_app_role
from tracker.types import UTCDateTime

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
# The owner runs the migrations: MIGRATION_DATABASE_URL when the app's own URL is the app's role.
migration_url = current_app.config.get("MIGRATION_DATABASE_URI")
migration_engine = create_engine(migration_url, poolclass=NullPool) if migration_url else None
config.set_main_option(
    "sqlalchemy.url",
    (migration_engine or target_db.engine)
    .url.render_as_string(hide_password=False)
    .replace("%", "%%"),
)


def render_item(type_, obj, autogen_context):
    """Write UTCDateTime columns as plain DateTime: the conversion lives in the model."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty_autogenerate(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    conf_args.setdefault("render_item", render_item)
    conf_args.setdefault("compare_type", True)

    engine = migration_engine or target_db.engine
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection, target_metadata=target_db.metadata, **conf_args
            )
            with context.begin_transaction():
                context.run_migrations()
                if connection.dialect.name == "postgresql":
                    # The app's role reads and writes rows (row-level security decides which),
                    # including those of tables this run made.
                    grant_to_app_role(connection, current_app.config["DATABASE_APP_ROLE"])
    finally:
        if migration_engine is not None:
            migration_engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
