"""Configuration classes; secrets and the database come from the environment."""

import math
import os
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def default_database_url() -> str:
    """SQLite file in instance/ unless DATABASE_URL says otherwise."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite'}"


def _flag(name: str, default: bool = False) -> bool:
    """An on/off setting from the environment: 1, true, yes or on mean on."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whichever spelling the operator gave."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def as_app_role(url: str, role: str) -> str:
    """The same database, reached as the app's own role (no password: the test server trusts
    loopback connections)."""
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


SECRET_KEY_MIN_LENGTH = 32
SECRET_KEY_MIN_BITS = 128
MAKE_A_SECRET_KEY = 'python3 -c "import secrets; print(secrets.token_hex(32))"'  # noqa: S105 - a command


def guessable(key: str) -> bool:
    """True for a key too short or too regular to stand for 128 random bits: judged by its
    length and by how evenly its characters are spread (their Shannon entropy)."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return True
    counts = Counter(key)
    per_character = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_character * len(key) < SECRET_KEY_MIN_BITS


def secret_key_problem(config: "Config") -> str | None:
    """Why the app must not start with this config's SECRET_KEY, or None."""
    if not config.SECRET_KEY:
        return (
            "SECRET_KEY is not set. Set it in the environment for production "
            f"(make one with: {MAKE_A_SECRET_KEY}), or set TRACKER_ENV=demo to run the demo."
        )
    if config.ENV_NAME == "production" and guessable(config.SECRET_KEY):
        return (
            f"SECRET_KEY is too short or too easy to guess: it signs every session cookie, so "
            f"it must be at least {SECRET_KEY_MIN_LENGTH} random characters. "
            f"Make one with: {MAKE_A_SECRET_KEY}"
        )
    return None


SIGN_IN_PREFIX = "TRACKER_SIGN_IN_"


def sign_in_providers_from_environment() -> list[dict]:
    """Each provider named in TRACKER_SIGN_IN_PROVIDERS (keys, comma-separated) with its
    TRACKER_SIGN_IN_<KEY>_<SETTING> values, settings in lower case; checked when the app
    starts (tracker/security/providers.py)."""
    keys = [k.strip().lower() for k in os.environ.get("TRACKER_SIGN_IN_PROVIDERS", "").split(",")]
    found = []
    for key in filter(None, keys):
        prefix = f"{SIGN_IN_PREFIX}{key.upper().replace('-', '_')}_"
        settings = {
            name[len(prefix) :].lower(): value
            for name, value in os.environ.items()
            if name.startswith(prefix)
        }
        found.append({**settings, "key": key})
    return found


MB = 1024 * 1024  # as staff read sizes on their computer


@dataclass(frozen=True)
class UploadLimits:
    """How much may be uploaded: each file, each case, and each person in a day (London time).
    The upload page's hint and the README give these numbers; attachments.py applies them."""

    file_bytes: int
    case_documents: int
    case_bytes: int
    daily_documents: int
    daily_bytes: int


# A case gathers a handful of letters, emails and photos: 30 documents (100 MB in all) is
# several times what one needs. 50 documents (200 MB) a day lets reception scan a morning's
# post for many cases, while an account that is misused cannot fill the database.
UPLOAD_LIMITS = UploadLimits(
    file_bytes=10 * MB,
    case_documents=30,
    case_bytes=100 * MB,
    daily_documents=50,
    daily_bytes=200 * MB,
)


class Config:
    """Production settings: everything secret is read from the environment."""

    ENV_NAME = "production"
    # Demo accounts (tracker seed-demo) can be made and can sign in only where this is on.
    DEMO_ACCOUNTS_ALLOWED = False
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = ""
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # A request may carry one document and its form; anything larger is refused with a page
    # saying so (errors.py) before it is read.
    MAX_CONTENT_LENGTH = UPLOAD_LIMITS.file_bytes + 2 * MB
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    NHSUK_FRONTEND_DIR = str(PROJECT_ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk")
    SIGNIN_MAX_FAILURES = 5
    SIGNIN_LOCK_MINUTES = 15
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hashing method, not a password
    # Two-factor sign-in is required of the practice manager (and of everyone when the practice
    # turns it on); TWO_FACTOR_DEMO_SKIP lets demo accounts put off enrolling in the demo only.
    TWO_FACTOR_ENFORCED = True
    TWO_FACTOR_DEMO_SKIP = False
    TWO_FACTOR_ISSUER = "Second Opinion Tracker"
    SIGN_IN_CODE_MINUTES = 5  # time to type the code after the password
    SESSION_ABSOLUTE_HOURS = 12  # a session ends this long after sign-in, however busy
    # How often a worker looks again at what changes only when the practice manager saves the
    # settings or demo data is loaded: the settings row and whether demo accounts exist. The
    # worker that saves the settings sees them at once; the others within this many seconds.
    SETTINGS_CHECKED_EVERY = 2.0
    CHECK_PRACTICE_SCOPE = False  # the tests turn it on
    # PostgreSQL (README, "Production"): the app runs as DATABASE_APP_ROLE, which row-level
    # security applies to, and refuses a superuser or the tables' owner unless
    # DATABASE_MIGRATING (TRACKER_MIGRATING=1) says this run changes the schema. The
    # migrations run as the owner, from MIGRATION_DATABASE_URI when given, and grant the app's
    # role what it needs.
    DATABASE_APP_ROLE = "tracker_app"
    DATABASE_MIGRATING = False
    MIGRATION_DATABASE_URI: str | None = None
    # How long a worker keeps a person's "New for you" count (the header's, on every page).
    NEWS_COUNT_KEPT_SECONDS = 5.0
    # Failed sign-ins from one address before it must wait, counted in shared storage.
    SIGNIN_ADDRESS_MAX_FAILURES = 20
    SIGNIN_ADDRESS_WINDOW_MINUTES = 15
    RATELIMIT_STORAGE = "database"
    SEND_HSTS = True
    TRUSTED_PROXY_COUNT = 0
    # Email through the practice's relay (README, "Email notifications"). Without MAIL_SERVER
    # no notification is queued or sent; the demo writes its mail to MAIL_FILE instead.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER: str | None = None
    MAIL_TIMEOUT_SECONDS = 20
    MAIL_FILE: str | None = None
    APP_BASE_URL: str | None = None
    # Sign-in at NHSmail, NHS Care Identity or another OpenID provider (README, "Signing in
    # with NHSmail or an NHS smartcard"): each provider's settings, read from the environment.
    SIGN_IN_PROVIDERS: list[dict] = []
    # How long a request to a provider (discovery, keys, token, userinfo) may take.
    SIGN_IN_PROVIDER_TIMEOUT_SECONDS = 10.0

    def __init__(self) -> None:
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(default_database_url())
        self.DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE") or "tracker_app"
        self.DATABASE_MIGRATING = _flag("TRACKER_MIGRATING")
        migration_url = os.environ.get("MIGRATION_DATABASE_URL")
        self.MIGRATION_DATABASE_URI = (
            normalise_database_url(migration_url) if migration_url else None
        )
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.fallback_secret_key()
        # "database" (the default) or a redis:// URL, so every worker counts the same failures.
        self.RATELIMIT_STORAGE = (
            os.environ.get("RATELIMIT_STORAGE") or os.environ.get("REDIS_URL") or "database"
        )
        # How many proxies in front of gunicorn set X-Forwarded-For (0: trust none).
        self.TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or 0)
        self.read_mail_settings()
        self.SIGN_IN_PROVIDERS = sign_in_providers_from_environment()

    def read_mail_settings(self) -> None:
        """MAIL_* and APP_BASE_URL from the environment (NHSmail: smtp.nhs.net, 587, TLS)."""
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER") or self.MAIL_SERVER
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT") or self.MAIL_PORT)
        self.MAIL_USE_TLS = _flag("MAIL_USE_TLS", self.MAIL_USE_TLS)
        self.MAIL_USE_SSL = _flag("MAIL_USE_SSL", self.MAIL_USE_SSL)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_DEFAULT_SENDER = (
            os.environ.get("MAIL_DEFAULT_SENDER") or self.MAIL_USERNAME or self.MAIL_DEFAULT_SENDER
        )
        self.MAIL_FILE = os.environ.get("MAIL_FILE") or self.MAIL_FILE
        self.APP_BASE_URL = (os.environ.get("APP_BASE_URL") or self.APP_BASE_URL or "").rstrip(
            "/"
        ) or None

    def fallback_secret_key(self) -> str | None:
        """Production has no fallback: the app refuses to start without SECRET_KEY."""
        return None


class DemoConfig(Config):
    """Local demo on 127.0.0.1 over plain HTTP, with a key kept in instance/."""

    ENV_NAME = "demo"
    DEMO_ACCOUNTS_ALLOWED = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SEND_HSTS = False
    TWO_FACTOR_DEMO_SKIP = True
    # Demo mail never leaves the machine: it is written to this file (README, "Try it").
    MAIL_FILE = str(INSTANCE_DIR / "demo-mail.txt")
    MAIL_DEFAULT_SENDER = "tracker@demo.practice.example"
    APP_BASE_URL = "http://127.0.0.1:5000"

    def fallback_secret_key(self) -> str:
        INSTANCE_DIR.mkdir(exist_ok=True)
        key_file = INSTANCE_DIR / "demo-secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        return key_file.read_text().strip()


class TestConfig(Config):
    """Test runs: database from TEST_DATABASE_URL or the URL the fixture passes in."""

    __test__ = False  # not a pytest test class

    ENV_NAME = "test"
    TESTING = True
    DEMO_ACCOUNTS_ALLOWED = True
    WTF_CSRF_ENABLED = False
    # Fast hashing keeps hundreds of test sign-ins quick; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a hashing method
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SEND_HSTS = False
    # The suite signs in with passwords; tests/security turns enforcement on to test it.
    TWO_FACTOR_ENFORCED = False
    # Tests change the settings behind the app's back and read them at once;
    # tests/foundation/test_kept_until_settings_change.py tests the production interval.
    SETTINGS_CHECKED_EVERY = 0.0
    # Every SQL statement run while working in a practice must name the practice of each of
    # its practice's tables (tracker.practices.scope.check_every_statement).
    CHECK_PRACTICE_SCOPE = True
    NEWS_COUNT_KEPT_SECONDS = 0.0  # tests/mail/test_news_and_worker.py tests the production one

    def __init__(self, database_url: str | None = None, migrating: bool = False) -> None:
        """`database_url` is the owner's (the test run's server user). On PostgreSQL the app
        connects as the app's role with the same server address, and the migrations as the
        owner, as in production; with `migrating`, the app runs as the owner (a test building
        or upgrading a database of its own)."""
        super().__init__()
        self.RATELIMIT_STORAGE = "database"
        owner = normalise_database_url(
            database_url or os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        )
        self.SQLALCHEMY_DATABASE_URI = owner
        self.DATABASE_MIGRATING = migrating
        self.MIGRATION_DATABASE_URI = None
        if owner.startswith("postgresql") and not migrating:
            self.MIGRATION_DATABASE_URI = owner
            self.SQLALCHEMY_DATABASE_URI = as_app_role(owner, self.DATABASE_APP_ROLE)
        self.SECRET_KEY = "test-secret-key"  # noqa: S105 - test runs only
        # Mail stays off unless a test starts its own SMTP server (tests/mail).
        self.MAIL_SERVER = None
        self.MAIL_FILE = None
        self.MAIL_DEFAULT_SENDER = "tracker@practice.example"
        self.APP_BASE_URL = "https://tracker.practice.example"
        self.SIGN_IN_PROVIDERS = []  # tests/security/test_provider_sign_in.py sets its own


CONFIGS = {"production": Config, "demo": DemoConfig, "test": TestConfig}


def config_from_environment() -> Config:
    """Pick the configuration named by TRACKER_ENV (production when unset)."""
    name = os.environ.get("TRACKER_ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"TRACKER_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]()
