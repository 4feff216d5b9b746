"""The second wall, on PostgreSQL: row-level security.

The first wall is `scope.py`: every ORM query made while working in a practice reads only that
practice's rows. The second is the database's own. The app connects as a role row-level
security applies to (not the tables' owner, not a superuser), and a policy on every
practice-owned table (migrations 0034 on) lets a statement see and write only the rows of the
practice named in the transaction's settings:

- `tracker.practice`: the practice being worked in, or empty;
- `tracker.across`: `on` inside a named cross-practice view (`across_practices`) and for the
  install's own tools working with no practice chosen (the command line, the mail sender between
  practices); empty otherwise.

Both are set with `set_config(..., true)`, so they last only until the transaction ends: before
each statement this module sets them when they differ from what the transaction already holds,
which is once a transaction for a request. A query that forgot its practice, or SQL written by
hand, still reads nothing of another practice's; a request with no practice chosen reads none.

The tables are created and changed by their owner, running the migrations (told so with
`TRACKER_MIGRATING=1`, or by `MIGRATION_DATABASE_URL`); the app refuses to run as the owner or a
superuser otherwise, since row-level security does not apply to them.
"""

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import OperationalError

from tracker.practices.scope import EVERY_PRACTICE, NO_PRACTICE, readable_now

PRACTICE_SETTING = "tracker.practice"
ACROSS_SETTING = "tracker.across"
_HELD = "tracker_wall"  # what the connection's transaction holds, in its info
_SAVEPOINTS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


class UnsafeDatabaseRole(RuntimeError):
    """The app was about to run as a role row-level security does not apply to."""


def wall_for_now() -> tuple[str, str]:
    """The (practice, across) settings for a statement run now, from the same answer the ORM's
    scoping follows (`scope.readable_now`)."""
    readable = readable_now()
    if readable == EVERY_PRACTICE:
        return "", "on"
    if readable == NO_PRACTICE:
        return "", ""
    return str(readable), ""


def wall_every_transaction(engine: Engine) -> None:
    """Set the practice settings the policies read in each transaction on this engine,
    before any statement that would run under different ones."""

    @event.listens_for(engine, "begin")
    def _new_transaction(conn: Connection) -> None:
        conn.info.pop(_HELD, None)

    @event.listens_for(engine, "rollback_savepoint")
    def _savepoint_undone(conn: Connection, name, context) -> None:
        # Settings made after the savepoint are undone with it.
        conn.info.pop(_HELD, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _name_the_practice(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith(_SAVEPOINTS):
            # Reads and writes nothing; and a savepoint undone after a failed statement must
            # come before anything else the transaction runs.
            return
        wanted = wall_for_now()
        if conn.info.get(_HELD) == wanted:
            return
        # A cursor of its own: the statement's may be a server-side (named) cursor.
        with conn.connection.dbapi_connection.cursor() as own:
            own.execute(
                f"SELECT set_config('{PRACTICE_SETTING}', %s, true), "
                f"set_config('{ACROSS_SETTING}', %s, true)",
                wanted,
            )
        conn.info[_HELD] = wanted


_ROLE = """
    SELECT current_user, r.rolsuper, r.rolbypassrls,
           EXISTS (
               SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
                 AND pg_has_role(current_user, c.relowner, 'USAGE')
           )
    FROM pg_roles r WHERE r.rolname = current_user
"""


def role_problem(user: str, superuser: bool, bypasses: bool, owns: bool) -> str | None:
    """Why row-level security would not apply to this role, or None."""
    if superuser:
        return f"the database role {user!r} is a superuser"
    if bypasses:
        return f"the database role {user!r} bypasses row-level security"
    if owns:
        return f"the database role {user!r} owns the tables (or acts as their owner)"
    return None


def refuse_unsafe_roles(engine: Engine) -> None:
    """Check each new connection's role: a superuser, a role that bypasses row-level security
    or the tables' owner is refused, as it would see every practice's rows."""

    @event.listens_for(engine, "connect")
    def _check_the_role(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(_ROLE)
            problem = role_problem(*cursor.fetchone())
        dbapi_connection.rollback()  # the read above began a transaction of its own
        if problem:
            raise UnsafeDatabaseRole(
                f"The tracker will not run on PostgreSQL as this role: {problem}, so "
                "row-level security would not keep each practice's records apart. Connect as "
                "the app's own role (the README's production section), or set "
                "TRACKER_MIGRATING=1 to run the migrations as the owner."
            )


def check_the_role_now(engine: Engine) -> None:
    """Refuse to start as an unsafe role, when the database answers now (when it does not,
    the first connection made is checked instead)."""
    try:
        connection = engine.connect()
    except OperationalError:
        return
    connection.close()


def make_app_role(connection, role: str) -> None:
    """Create the app's role if the server has none yet: it signs in, and row-level security
    applies to it (for a test or bench server; production makes it as the README shows)."""
    quoted = connection.dialect.identifier_preparer.quote(role)
    connection.execute(
        text(
            "DO $$ BEGIN "
            f"CREATE ROLE {quoted} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    )


def grant_to_app_role(connection, role: str) -> bool:
    """Give the app's role what it needs and no more: reading and writing rows (row-level
    security decides which), the sequences, and reading the migration marker. Run by the
    migrations as the owner, after each upgrade; False when there is no such role."""
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}
    ).first()
    user = connection.execute(text("SELECT current_user")).scalar_one()
    if exists is None or role == user:
        return False
    quoted = connection.dialect.identifier_preparer.quote(role)
    schema = connection.dialect.identifier_preparer.quote(
        connection.execute(text("SELECT current_schema()")).scalar_one()
    )
    for grant in (
        f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE ON {schema}.alembic_version FROM {quoted}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
    ):
        connection.execute(text(grant))
    return True
