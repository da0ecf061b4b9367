"""Settings, read from the environment.

With nothing configured the server runs on an embedded default (SQLite file, Celery tasks executed
in-process, dedupe keys in process memory) so one command starts a working server on a bare
machine. Setting DATABASE_URL / REDIS_URL / CELERY_BROKER_URL switches to PostgreSQL and Redis.
"""

import os
import re
import warnings
from pathlib import Path

import dj_database_url
from boto3.s3.transfer import TransferConfig
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from adn_api import prefixes

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# Good for the embedded default only: adn_api.checks refuses it on PostgreSQL with DEBUG off.
EMBEDDED_SECRET_KEY = "embedded-default-secret-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", EMBEDDED_SECRET_KEY)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
# Used to build canonical URLs and diaspora ids (username@host).
PUBLIC_HOST = os.environ.get("PUBLIC_HOST", "127.0.0.1:8000")
PUBLIC_URL = os.environ.get("PUBLIC_URL", f"http://{PUBLIC_HOST}")

INSTALLED_APPS = [
    # django.contrib.admin with the operations dashboard inside its site.
    "operations.admin_config.OperationsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served locally (no CDN)
    "oauth2_provider",
    "adn_api",
    "core",
    "users",
    "entities",
    "posts",
    "reposts",
    "streams",
    "messaging",
    "files",
    "polls",
    "interactions",
    "search",
    "explore",
    "places",
    "pnut",
    "diaspora",
    "operations",
    # Last: its /{username} routes take only what no other app's route matches.
    "web",
]

MIDDLEWARE = [
    # Outermost: it times and logs every request, whatever answers it.
    "operations.middleware.RequestLogMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "adn_api.middleware.ApiErrorMiddleware",
    "adn_api.replicas.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The web app's pages (and the account pages) carry a Content-Security-Policy.
    "web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "adn_api.urls"
WSGI_APPLICATION = "adn_api.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it: after PostgreSQL restarts,
        # the first request gets a new connection instead of an error.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements: the parameters travel apart from the SQL, so the same query is the
    # same statement for every user, and PostgreSQL plans it once per connection instead of on
    # every request (a stream page's join took 10 ms to plan and < 1 ms to run). A pooler in
    # front of PostgreSQL must keep prepared statements (PgBouncer >= 1.21 in transaction
    # mode) or be bypassed; DB_PREPARE_THRESHOLD= (empty) turns them off.
    threshold = os.environ.get("DB_PREPARE_THRESHOLD", "2")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(threshold) if threshold else None
    )
# A streaming replica of the primary (adn_api/replicas.py): API reads go there, except a
# viewer's own for READ_YOUR_WRITES_SECONDS after they write. Tests read the primary through
# it (MIRROR), so nothing is written where a test would not see it.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
READ_YOUR_WRITES_SECONDS = float(os.environ.get("READ_YOUR_WRITES_SECONDS", "5"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["adn_api.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# whitenoise serves static files from the web process. `collectstatic` (a deployment step) copies
# them, compressed, into STATIC_ROOT; until it has run (the embedded default) they are served
# straight from the apps' static folders.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded files (the files app) go to the "files" storage: the local disk under MEDIA_ROOT by
# default (served by the app through signed, expiring URLs: files/views.py), or any
# S3-compatible store with FILE_STORAGE=s3 (django-storages; the app still serves the bytes, so
# its security headers hold whatever the store).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FILE_STORAGE = os.environ.get("FILE_STORAGE", "local").strip().lower()


def file_storage(kind: str, media_root: Path = MEDIA_ROOT) -> dict:
    if kind == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", "adn-files"),
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
                "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
                "default_acl": None,  # private objects: only the app reads them
                "querystring_auth": True,
                "file_overwrite": True,  # keys are random (files/services/store.py)
                # One PUT per file, up to S3's limit for one (5 GiB): boto3 would split a file
                # from 8 MB on into a multipart upload, four requests for a 10 MB one.
                "transfer_config": TransferConfig(multipart_threshold=5 * 1024**3),
            },
        }
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(media_root), "base_url": None},
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "files": file_storage(FILE_STORAGE),
}
WHITENOISE_USE_FINDERS = not STATIC_ROOT.is_dir()
if WHITENOISE_USE_FINDERS:  # nothing collected: no need to warn at each start that it is missing
    warnings.filterwarnings("ignore", message="No directory at: ")

# Redis: dedupe keys, cache (throttling counters) and, by default, the Celery broker.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every Redis client gives up fast and makes one attempt: a Redis that is down or unreachable
# must cost a request milliseconds, not seconds (a write's fan-out then waits in the outbox for
# the sweep, and the rate limit lets the request through). Seconds. Workers' broker connection
# and the dedupe, which no request waits on, allow a slow Redis the longer socket timeout.
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.1"))
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "0.2"))
REDIS_WORKER_SOCKET_TIMEOUT = float(os.environ.get("REDIS_WORKER_SOCKET_TIMEOUT", "5"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": (
                "core.redis_clients.ClusterRedisCache"
                if REDIS_URL.startswith("redis+cluster://")
                else "core.redis_clients.PooledRedisCache"
            ),
            "LOCATION": REDIS_URL,
            # Django's own default (no prefix) unless set: several users of one Redis database
            # (the test suite's runs) keep apart by it.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
            # redis-py's pool options; a pool made from a URL does not retry.
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a rendered post stays in the cache (adn_api/rendered.py). Its key changes with every
# change of what it shows, so this only bounds the memory old renderings hold.
RENDERED_POST_SECONDS = int(os.environ.get("RENDERED_POST_SECONDS", str(24 * 3600)))
# How many entries each of a process's own caches keeps (core/local_cache.py): rendered posts
# in front of Redis (~2 kB each), viewers' relations to a page in front of PostgreSQL.
LOCAL_CACHE_ENTRIES = int(os.environ.get("LOCAL_CACHE_ENTRIES", "4096"))

# Prepended to the repost dedupe's keys (streams/dedupe.py) in REDIS_URL; none unless set.
REPOST_DEDUPE_KEY_PREFIX = os.environ.get("REPOST_DEDUPE_KEY_PREFIX", "")

# Celery: without a broker, tasks run in-process (the embedded default).
# kombu has no Redis Cluster transport: with a cluster in REDIS_URL, the broker is named apart.
CELERY_BROKER_URL = os.environ.get(
    "CELERY_BROKER_URL", "" if REDIS_URL.startswith("redis+cluster://") else REDIS_URL
)
if REDIS_URL.startswith("redis+cluster://") and not CELERY_BROKER_URL:
    raise ImproperlyConfigured(
        "REDIS_URL names a Redis Cluster, which cannot be Celery's broker: set "
        "CELERY_BROKER_URL to a single Redis (or another broker)."
    )
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# Fan-outs have a queue of their own, so a celebrity's post (10,000 rows a batch at a time) never
# waits behind ordinary tasks (follow merges, sweeps), nor they behind it. A worker started
# without -Q consumes both (one machine); with -Q it takes only the queues named (README.md).
FANOUT_QUEUE = os.environ.get("FANOUT_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}.fanout")
CELERY_TASK_QUEUES = [
    Queue(CELERY_TASK_DEFAULT_QUEUE, routing_key=CELERY_TASK_DEFAULT_QUEUE),
    Queue(FANOUT_QUEUE, routing_key=FANOUT_QUEUE),
]
CELERY_TASK_ROUTES = {"streams.tasks.fan_out_post": {"queue": FANOUT_QUEUE}}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task whose worker died unacknowledged is delivered again after this many seconds (the
    # sweep enqueues a fan-out again long before: FANOUT_RETRY_AFTER_SECONDS).
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    # A worker raises it to REDIS_WORKER_SOCKET_TIMEOUT (adn_api/celery.py).
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    # A publish connects once: kombu otherwise retries for up to broker_connection_timeout
    # (about 6 s with its 2 s and 4 s pauses) on every write while Redis is down. The worker's
    # consumer keeps its own retry loop (below).
    "max_retries": 0,
}
# A worker whose broker is down waits for it however long it takes (the default gives up after
# 100 attempts, about 45 minutes, and exits), also when it starts before the broker.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task running when the connection is lost carries on (its acknowledgement is lost with the
# connection; a fan-out is idempotent). Celery 6 changes this default: keep it.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
FANOUT_SWEEP_SECONDS = float(os.environ.get("FANOUT_SWEEP_SECONDS", "30"))
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-derivations": {
        "task": "files.tasks.sweep_pending_derivations",
        "schedule": FANOUT_SWEEP_SECONDS,
        "options": {"expires": FANOUT_SWEEP_SECONDS},
    },
    "sweep-incomplete-files": {
        "task": "files.tasks.sweep_incomplete_files",
        "schedule": 3600.0,
        "options": {"expires": 3600.0},
    },
    "sweep-pending-fan-outs": {
        "task": "streams.tasks.sweep_pending_fan_outs",
        "schedule": FANOUT_SWEEP_SECONDS,
        # A sweep not started before the next is due is dropped: a worker that was away from
        # its broker finds one sweep waiting, not a backlog of them.
        "options": {"expires": FANOUT_SWEEP_SECONDS},
    },
    "sweep-pending-message-fan-outs": {
        "task": "messaging.tasks.sweep_pending_message_fan_outs",
        "schedule": FANOUT_SWEEP_SECONDS,
        "options": {"expires": FANOUT_SWEEP_SECONDS},
    },
    "trim-streams": {
        "task": "streams.tasks.trim_streams",
        "schedule": float(os.environ.get("STREAM_TRIM_SECONDS", "3600")),
        "options": {"expires": float(os.environ.get("STREAM_TRIM_SECONDS", "3600"))},
    },
}

# Streams and fan-out.
# A repost of A reaches a follower only if they were not shown A within this many seconds.
REPOST_DEDUPE_SECONDS = int(os.environ.get("REPOST_DEDUPE_SECONDS", str(7 * 24 * 3600)))
FANOUT_BATCH_SIZE = int(os.environ.get("FANOUT_BATCH_SIZE", "2000"))
# A pause between batches spreads a large fan-out's load on the database.
FANOUT_BATCH_PAUSE_SECONDS = float(os.environ.get("FANOUT_BATCH_PAUSE_SECONDS", "0"))
# A fan-out still pending this long after it was enqueued is enqueued again by the sweep.
FANOUT_RETRY_AFTER_SECONDS = int(os.environ.get("FANOUT_RETRY_AFTER_SECONDS", "120"))
# How many of a followee's recent posts a follow merges into the follower's stream.
FOLLOW_MERGE_POSTS = int(os.environ.get("FOLLOW_MERGE_POSTS", "100"))
# Each owner's materialised stream keeps its newest this many rows (the trim, every
# STREAM_TRIM_SECONDS); paging past them reads followees' posts at read time. 0: unbounded.
STREAM_MAX_ROWS = int(os.environ.get("STREAM_MAX_ROWS", "1000"))

CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = rf"^/({'|'.join(re.escape(p) for p in prefixes.ALL.values())}).*$"
CORS_ALLOW_HEADERS = ["authorization", "content-type", "x-adn-pretty-json", "x-pretty-json"]
CORS_EXPOSE_HEADERS = [
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-oauth-scopes",
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["adn_api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["adn_api.permissions.TokenScopePermission"],
    "DEFAULT_RENDERER_CLASSES": ["adn_api.envelope.ADNRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "adn_api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "adn_api.exceptions.envelope_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["adn_api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("RATE_LIMIT", "5000/hour")},
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "adn_api.schema.DialectAutoSchema",
}

# The OpenAPI schema of all three dialects (adn_api/schema.py), at /stream/0/openapi.json.
SPECTACULAR_SETTINGS = {
    "TITLE": "adn-api",
    "DESCRIPTION": "App.net (/stream/0/), pnut.io (/v1/) and diaspora (/api/v1/) over one server.",
    "VERSION": None,  # adn_api.schema.set_version: pyproject.toml's
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["adn_api.schema.drop_catch_all_routes"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "adn_api.schema.add_components",
        "adn_api.schema.order_and_add_operations",
        "adn_api.schema.set_version",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# OAuth 2 (django-oauth-toolkit). Scope names are App.net's.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "basic": "See your basic information",
        "stream": "Read your stream",
        "write_post": "Post, repost and star on your behalf",
        "follow": "Follow, mute and block users",
        "update_profile": "Update your profile",
        "public_messages": "Send public messages",
        "messages": "Send and receive private messages",
        "files": "Manage your files",
        "polls": "Manage your polls (pnut)",
        "email": "See your email address",
        "export": "Export your data",
        # diaspora's names (CONTRACT §2; adn_api.permissions.GRANTED_ALSO_BY maps them).
        "public:read": "Read public posts (diaspora)",
        "private:read": "Read non-public posts (diaspora)",
        "public:modify": "Post and reshare on your behalf (diaspora)",
        "interactions": "Comment, like and report on your behalf (diaspora)",
        "conversations": "Read and send your private conversations (diaspora)",
        "notifications": "Read your notifications and mark them read (diaspora)",
    },
    "DEFAULT_SCOPES": ["basic"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 10 * 365 * 24 * 3600,  # ADN tokens live until revoked
    "PKCE_REQUIRED": False,  # legacy ADN clients do not send PKCE
    "OAUTH2_VALIDATOR_CLASS": "adn_api.oauth.validators.ADNOAuth2Validator",
    "REQUEST_APPROVAL_PROMPT": "auto",
}

# LOG_FORMAT=json (production): one JSON object a line, with the request id, user id, method,
# path, status and duration of the request being served (operations/request_log.py).
LOG_FORMAT = "json" if os.environ.get("LOG_FORMAT", "text").lower() == "json" else "text"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "operations.request_log.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
# Celery replaces the root handler with its own text format unless told not to.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# The App.net platform limits reported by /stream/0/config and enforced by the API.
POST_TEXT_MAX_LENGTH = 256
USER_DESCRIPTION_MAX_LENGTH = 256
ANNOTATION_MAX_BYTES = 8192

# Files: one file's limit (the token object's max_file_size), each user's storage, how long a
# private file's URL works, and how old an incomplete file is before the sweep removes it.
FILE_MAX_BYTES = int(os.environ.get("FILE_MAX_BYTES", str(10_000_000)))
FILE_QUOTA_BYTES = int(os.environ.get("FILE_QUOTA_BYTES", str(500_000_000)))  # App.net's free tier
# An upload is read whole anyway (its type is found from its bytes): keep it in memory up to the
# file limit instead of writing it to a temporary file first and reading it back. Only upload
# endpoints take bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (adn_api/middleware.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = FILE_MAX_BYTES + 1_000_000
# Bodies read in large pieces and kept without copies (adn_api/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "adn_api.uploads.WholeMemoryUploadHandler",
    "adn_api.uploads.LargeChunkTemporaryFileUploadHandler",
]
FILE_URL_SECONDS = int(os.environ.get("FILE_URL_SECONDS", "3600"))
FILE_INCOMPLETE_SECONDS = int(os.environ.get("FILE_INCOMPLETE_SECONDS", str(24 * 3600)))

# django-oauth-toolkit's models are swappable; naming them lets migrations depend on them.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
