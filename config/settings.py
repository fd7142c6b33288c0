"""Settings, read from the environment (twelve-factor).

The defaults are the embedded set-up of `make run`: SQLite in var/ and Celery
tasks run in-process. Production sets DATABASE_URL, CELERY_BROKER_URL,
SECRET_KEY and ALLOWED_HOSTS; without DEBUG everything defaults to safe.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG=1 for local development).")
    SECRET_KEY = "dev-only-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "program",
    "pendampingan",
    "lokakarya",
    "pmo",
    "komunitas",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are mostly text and read over weak phone links: gzip brings the
    # journal form from ~21 KB to a few KB (tests/e2e/test_page_weight.py).
    # Static files are compressed ahead of time by WhiteNoise, above. Django's
    # GZip mitigates BREACH (random gzip filename bytes; CSRF tokens masked).
    "django.middleware.gzip.GZipMiddleware",
    # Refuses an oversized body from Content-Length before anything reads it;
    # marks logged-in users' pages private, no-store.
    "program.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # A database that is restarting answers with a short 503 page, not a 500.
    "program.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked account/IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.menu.menu",
                "program.sesi.pwa_sesi",
            ],
        },
    },
]

if not env("DATABASE_URL", default=""):
    # The embedded default keeps its SQLite file in var/, created on first use.
    VAR_DIR.mkdir(exist_ok=True)
# django-import-export: the admin only exports (imports go through the
# product's importer, with its dry run, row errors and history); cells that
# a spreadsheet would run as formulas are escaped.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "beranda"
LOGOUT_REDIRECT_URL = "login"

# The interface speaks Bahasa Indonesia: source strings are Indonesian and
# Django's own messages come from its "id" catalogue.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
# Uploads and generated files are private: never under STATIC_ROOT, never
# served by the web server directly, only through views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=10) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: without a broker, tasks run eagerly in the calling process.
# Every value below is explained in docs/RELIABILITY.md ("Celery").
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Acknowledge a job when it ends, not when it arrives: a worker that dies
# mid-render leaves the message to be delivered again (job_run is idempotent).
CELERY_TASK_ACKS_LATE = True
# A pool process killed outright (OOM killer, SIGKILL) requeues its task at
# once instead of the task being recorded as failed and dropped.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each process reserves one message only: a long PDF does not hold queued jobs
# hostage behind it, and a crash hands back a single message.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
# Redis hands an unacknowledged message to another worker after this long. It
# must exceed the hard time limit, else a long job that is still running is
# delivered a second time.
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60
)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
# A request enqueues its job after commit: with Redis down or hanging that
# must fail within about a second (the job stays queued and is sent later),
# not hold the page. Measured in docs/RELIABILITY.md ("Redis mati").
CELERY_BROKER_CONNECT_TIMEOUT = env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": CELERY_BROKER_CONNECT_TIMEOUT,
    # A broker that accepts the connection but never answers fails as well.
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
}
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_CONNECT_TIMEOUT  # the same for AMQP brokers
# Publishing retries once, briefly, then gives up (same reason as above).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# A pool process is replaced after this many tasks: memory WeasyPrint (Pango,
# fontconfig, fragmentation) grew to is not given back. Journals level off
# (+6 MiB over 100 renders); 100 bounds slower growth from big reports while a
# new process's slower first render costs under 2 % (docs/RELIABILITY.md).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=100)
# ... and after the task that takes one process past this resident size (KiB,
# ~390 MiB; a journal-rendering process sits at ~120 MiB), e.g. a huge report.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Stuck jobs: running (or sent but not started) longer than the hard time limit
# plus this margin, with no live process holding them, are marked failed.
JOB_STUCK_MARGIN_SECONDS = env.int("JOB_STUCK_MARGIN_SECONDS", default=60)
# A job the broker did not accept is sent again after this many seconds (by
# the sweep or the job page); earlier, the request's own send may be in flight.
JOB_RESEND_AFTER_SECONDS = env.int("JOB_RESEND_AFTER_SECONDS", default=30)
# Starts of one job that never finished (each a killed process) before it is
# marked failed instead of being redelivered forever.
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)

# Security: safe unless told otherwise. HTTPS defaults on outside DEBUG; set
# HTTPS=0 only for a trial on plain http (e.g. docker compose on a laptop).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes): 5 failures in 15 minutes lock that
# username + IP pair for 15 minutes. Operators unlock in the admin.
# Password-reset mail (program.views.sandi): per address and per client IP,
# counted in the cache (set CACHE_URL to Redis when several processes serve).
LUPA_SANDI_PER_ALAMAT = env("LUPA_SANDI_PER_ALAMAT", default="3/h")
LUPA_SANDI_PER_IP = env("LUPA_SANDI_PER_IP", default="10/h")
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/terkunci.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Content-Security-Policy (django-csp): no inline or third-party scripts.
# Inline style attributes (progress bars) are allowed; scripts are not.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},  # WeasyPrint's font subsetting is chatty
    },
}

if not SECRET_KEY or (not DEBUG and len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
DEMO_PASSWORD = env("DEMO_PASSWORD", default="demo12345")
PMO_ESKALASI_BULAN = env.int("PMO_ESKALASI_BULAN", default=2)

# Email: console in the embedded default; any SMTP via EMAIL_URL
# (e.g. smtp+tls://user:pass@smtp.example.id:587).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Pendampingan Penggerak <noreply@localhost>")

# Generated files (exports, PDFs) are deleted after this many days.
JOB_FILE_RETENTION_DAYS = env.int("JOB_FILE_RETENTION_DAYS", default=14)

# Periodic tasks (Celery beat), in CELERY_TIMEZONE (Asia/Jakarta).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {
    # Fails stuck jobs and sends those queued while the broker was down.
    "check-stuck-jobs": {"task": "program.check_stuck_jobs", "schedule": 60.0},
    "hapus-berkas-pekerjaan-lama": {
        "task": "reports.delete_old_job_files",
        "schedule": crontab(hour=2, minute=30),
    },
    "pengingat-pi": {
        "task": "reports.tasks.reminders.send_pengingat_pi",
        "schedule": crontab(hour=6, minute=0),
    },
    "pengingat-pmo": {
        "task": "reports.tasks.reminders.send_pengingat_pmo",
        "schedule": crontab(hour=6, minute=15),
    },
    "digest-eskalasi": {
        "task": "reports.tasks.reminders.send_digest_eskalasi",
        "schedule": crontab(hour=6, minute=30),
    },
}
# Celery autodiscovers `tasks` modules only; the reminder tasks live beside them.
CELERY_IMPORTS = ["reports.tasks.reminders"]
# Base of the links in reminder emails (e.g. https://pendampingan.example.id).
SITE_URL = env("SITE_URL", default="")
PENGINGAT_PMO_TANGGAL = env.int("PENGINGAT_PMO_TANGGAL", default=20)

# Region dashboards (program.ringkasan): their overview numbers and tables are
# cached this many seconds per scope and filter; the page shows their time and
# offers a refresh (?segarkan=1). 0 turns the cache off (always fresh).
RINGKASAN_CACHE_SECONDS = env.int("RINGKASAN_CACHE_SECONDS", default=300)
