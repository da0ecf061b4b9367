"""gunicorn in production: ``gunicorn --config deploy/gunicorn.conf.py`` (compose.yaml's web).

Read from the environment, with defaults for one machine: ``PORT`` (8000) or ``BIND``,
``WEB_CONCURRENCY`` (worker processes), ``WEB_THREADS``, ``WEB_TIMEOUT`` and
``FORWARDED_ALLOW_IPS`` (the proxy in front, whose X-Forwarded-* headers are believed).
"""

import gc
import multiprocessing
import os

wsgi_app = "adn_api.wsgi:application"
bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")

# Sync workers: each request holds one database connection for its length and nothing more.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The application logs each request itself (operations/middleware.py: request id, user, status,
# duration; JSON with LOG_FORMAT=json), so gunicorn's access log would only repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def post_worker_init(worker) -> None:
    """The application is loaded by now and lives as long as the worker: freezing it keeps the
    garbage collector's full passes from walking Django's hundreds of thousands of objects again
    (they ran often on allocation-heavy pages such as a stream of 200 posts)."""
    gc.freeze()
