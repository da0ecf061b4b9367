"""The production setup: compose.yaml's services are complete and consistent with the README,
and the same commands, started here by hand, serve the API, fan posts out and sweep pending
fan-outs, with static files and JSON logs."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import urllib.request

import pytest
from django.conf import settings

from adn_api.oauth.tokens import create_app, issue_token
from posts.models import Post
from streams.models import FanOut
from users.models import User

from .. import processes
from ..processes import ROOT, free_port, wait_for
from .deployment import (
    README,
    VARIABLE,
    answers,
    get,
    interpolate,
    load_compose,
    readme_settings,
    running,
    service_environment,
    venv_path_env,
)

APP_SERVICES = ("web", "worker", "beat")


def test_compose_has_the_services_production_needs():
    services = load_compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)
    assert services["web"]["command"] == ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "adn_api", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "adn_api", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in (*APP_SERVICES, "migrate"):
        assert (ROOT / services[name]["build"]["dockerfile"]).is_file()
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_sets_every_documented_setting_and_points_at_its_own_services():
    documented = readme_settings()
    assert {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY", "LOG_FORMAT"} <= set(
        documented
    )
    services = load_compose()["services"]
    for name in APP_SERVICES:
        env = service_environment(services[name], {"SECRET_KEY": "s3cret"})
        assert set(documented) <= set(env), f"{name} lacks {set(documented) - set(env)}"
        assert env["DATABASE_URL"] == "postgres://adn:adn@postgres:5432/adn"
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert env["DEBUG"] == "0" and env["LOG_FORMAT"] == "json"
        assert env["SECRET_KEY"] == "s3cret"
        # Without a SECRET_KEY compose refuses to start rather than run with the default one.
        with pytest.raises(KeyError, match="SECRET_KEY"):
            service_environment(services[name], {})
    postgres = services["postgres"]["environment"]
    assert (postgres["POSTGRES_DB"], postgres["POSTGRES_USER"]) == ("adn", "adn")


# What compose.yaml reads from the shell besides the README's settings, and where it goes.
COMPOSE_ONLY_VARIABLES = {
    "POSTGRES_PASSWORD": "the postgres service's password, also in the app's DATABASE_URL",
    "PORT": "the host port the web service publishes",
}


def variables_read(node) -> set[str]:
    """The names of the ``${NAME…}`` that a piece of compose.yaml (keys and values) reads."""
    if isinstance(node, dict):
        return variables_read(list(node.items()))
    if isinstance(node, list | tuple):
        return set().union(*map(variables_read, node))
    return {name for name, _, _ in VARIABLE.findall(str(node))}


def readme_defaults() -> dict[str, str]:
    """The README's configuration table: each setting's default, where it is one value."""
    section = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|.*\| `([^`]*)` \|$", section, flags=re.MULTILINE)
    return dict(rows)


def test_every_variable_compose_reads_is_documented_and_reaches_its_setting():
    """A misspelt ``${VAR…}`` in compose.yaml would silently ignore what the operator set."""
    compose = load_compose()
    documented = set(readme_settings())
    names = variables_read(compose)
    assert names, "compose.yaml reads no variable"
    known = documented | set(COMPOSE_ONLY_VARIABLES)
    assert names <= known, f"undocumented variables: {names - known}"
    services = compose["services"]
    for name in APP_SERVICES:
        raw = services[name]["environment"]
        # Only the README's settings, and each one set from its own variable if from any.
        assert set(raw) == documented, set(raw) ^ documented
        for setting, value in raw.items():
            read = variables_read(value)
            assert read <= {setting} | set(COMPOSE_ONLY_VARIABLES), (setting, read)
            if setting in read:
                env = {"SECRET_KEY": "s3cret", setting: f"set-{setting.lower()}"}
                assert f"set-{setting.lower()}" in service_environment(services[name], env)[setting]
    password = {"SECRET_KEY": "s3cret", "POSTGRES_PASSWORD": "pw-set"}
    assert service_environment(services["postgres"], password)["POSTGRES_PASSWORD"] == "pw-set"
    assert service_environment(services["web"], password)["DATABASE_URL"] == (
        "postgres://adn:pw-set@postgres:5432/adn"
    )
    published = services["web"]["ports"][0]
    assert interpolate(published, {}) == "8000:8000"
    assert interpolate(published, {"PORT": "8080"}) == "8080:8000"


def test_compose_falls_back_on_the_documented_defaults():
    """With only SECRET_KEY set, each setting compose reads from the shell gets the README's
    default (ALLOWED_HOSTS: the same hosts; PUBLIC_URL: compose's own, for one machine)."""
    defaults = readme_defaults()
    own_defaults = {"PUBLIC_URL": "http://localhost:8000"}
    services = load_compose()["services"]
    for name in APP_SERVICES:
        raw = services[name]["environment"]
        env = service_environment(services[name], {"SECRET_KEY": "s3cret"})
        from_shell = {setting for setting, value in raw.items() if setting in variables_read(value)}
        from_shell -= {"SECRET_KEY"}  # required: no default (see the test above)
        assert from_shell >= {"ALLOWED_HOSTS", "DB_PREPARE_THRESHOLD", "RATE_LIMIT"}, from_shell
        for setting in from_shell:
            expected = own_defaults.get(setting, defaults[setting])
            if setting == "ALLOWED_HOSTS":  # a list: its order does not matter
                assert set(env[setting].split(",")) == set(expected.split(",")), env
            else:
                assert env[setting] == expected, (setting, env)
        # "empty turns prepared statements off": set empty, it stays empty.
        off = service_environment(services[name], {"SECRET_KEY": "s", "DB_PREPARE_THRESHOLD": ""})
        assert off["DB_PREPARE_THRESHOLD"] == ""


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """compose's environment for the app services, pointed at this test's database and Redis,
    with the production settings module."""
    import os

    service = load_compose()["services"]["web"]
    env = {**os.environ, **service_environment(service, {"SECRET_KEY": "test-" + "k" * 40})}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "adn_api.settings",
            "DATABASE_URL": processes.test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "DB_CONN_MAX_AGE": "0",
            "STATIC_ROOT": str(tmp_path / "static"),
            "PORT": str(free_port()),
            "WEB_CONCURRENCY": "2",
            "FANOUT_SWEEP_SECONDS": "1",
        }
    )
    return venv_path_env(env)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_compose_services_run_by_hand_serve_and_fan_out(production_env, tmp_path):
    services = load_compose()["services"]
    env = production_env
    # What the image build does (deploy/Dockerfile), then an empty queue for the new worker.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        ["celery", "-A", "adn_api", "purge", "-f"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    beat_command = [
        arg if not arg.startswith("--schedule=") else f"--schedule={tmp_path / 'beat'}"
        for arg in services["beat"]["command"]
    ]
    base = f"http://127.0.0.1:{env['PORT']}"

    with (
        running("worker", services["worker"]["command"], env) as worker,
        running("beat", beat_command, env) as beat,
        running("web", services["web"]["command"], env) as web,
    ):
        worker.wait_until(lambda: "ready." in worker.output(), "the worker to start")
        beat.wait_until(lambda: "beat: Starting" in beat.output(), "beat to start")
        web.wait_until(answers(f"{base}/healthz"), "gunicorn to answer")

        # Health: every part reachable, the broker included (tasks go to the worker here).
        status, headers, body = get(f"{base}/healthz", {"X-Request-ID": "compose-check-1"})
        health = json.loads(body)
        assert status == 200, health
        assert {k: v["status"] for k, v in health["checks"].items()} == {
            "database": "ok",
            "redis": "ok",
            "broker": "ok",
        }
        assert headers["X-Request-ID"] == "compose-check-1"
        assert get(f"{base}/readyz")[0] == 200

        # JSON request logs from gunicorn's workers.
        wait_for(lambda: "compose-check-1" in web.output(), 10, "the request log line")
        line = next(
            json.loads(text) for text in web.output().splitlines() if "compose-check-1" in text
        )
        assert line["request_id"] == "compose-check-1"
        assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
        assert line["duration_ms"] >= 0 and line["logger"] == "operations.requests"

        # Static files, compressed, from the web process (whitenoise after collectstatic).
        status, headers, body = get(
            f"{base}/static/operations/vendor/chart.umd.min.js", {"Accept-Encoding": "gzip"}
        )
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body).startswith(b"/*!\n * Chart.js")
        assert get(f"{base}/static/admin/css/base.css")[0] == 200

        # The worker fans a post out: made through the API, it reaches a follower's stream.
        alice = User.objects.create_user("alice", password="pw-alice-long")
        bob = User.objects.create_user("bob", password="pw-bob-long")
        app, _ = create_app("compose test")
        tokens = {
            u.username: issue_token(u, app, "basic stream write_post follow") for u in (alice, bob)
        }

        def call(method: str, path: str, token: str, data: dict | None = None) -> dict:
            req = urllib.request.Request(
                f"{base}{path}",
                method=method,
                data=json.dumps(data).encode() if data else None,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(req, timeout=10) as response:
                return json.loads(response.read())["data"]

        call("POST", f"/stream/0/users/{alice.pk}/follow", tokens["bob"])
        post_id = call("POST", "/stream/0/posts", tokens["alice"], {"text": "via gunicorn"})["id"]
        wait_for(
            lambda: FanOut.objects.filter(post_id=post_id, completed_at__isnull=False).exists(),
            60,
            "the worker to fan the post out",
        )
        assert post_id in [p["id"] for p in call("GET", "/stream/0/posts/stream", tokens["bob"])]

        # Beat sweeps a fan-out the broker never got (as if it was down at commit).
        orphan = Post.objects.create(user=alice, text="never enqueued")
        FanOut.objects.create(post=orphan)
        wait_for(
            lambda: FanOut.objects.filter(post=orphan, completed_at__isnull=False).exists(),
            60,
            "beat's sweep to get the pending fan-out done",
        )
        assert bob.stream_items.filter(post=orphan).exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_flower_watches_the_workers(production_env):
    port = free_port()
    command = ["celery", "-A", "adn_api", "flower", f"--port={port}", "--address=127.0.0.1"]
    with running("flower", command, production_env) as flower:
        flower.wait_until(answers(f"http://127.0.0.1:{port}/healthcheck"), "flower to answer")
        status, _, body = get(f"http://127.0.0.1:{port}/healthcheck")
        assert (status, body) == (200, b"OK")
