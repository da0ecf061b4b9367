"""The systemd units of the setup without containers (deploy/systemd/): they parse
(``systemd-analyze verify`` where it exists), restart what stops, read the README's settings from
one environment file, run what compose.yaml and the README run, and, started here as plain
processes with the example environment file, serve the API, take tasks and schedule the sweep."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from .. import processes
from ..operations.deployment import README, answers, get, load_compose, readme_settings, running
from ..processes import ROOT, free_port

UNITS = ROOT / "deploy" / "systemd"
APP_UNITS = ("adn-api-web", "adn-api-worker", "adn-api-beat")
INSTALLED_AT = "/srv/adn-api"  # WorkingDirectory in the units, as the README installs them
ENVIRONMENT_FILE = "/etc/adn-api/adn-api.env"


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """A unit file as systemd reads it: sections of keys, each key with all its values in order
    (ExecStart= may be given more than once), comments and blank lines left out."""
    unit: dict[str, dict[str, list[str]]] = {}
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = unit.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        assert sep and section is not None, f"not a unit file line: {raw!r}"
        section.setdefault(key.strip(), []).append(value.strip())
    return unit


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    return parse_unit((UNITS / f"{name}.service").read_text())


def service(name: str) -> dict[str, list[str]]:
    return unit(name)["Service"]


def exec_start(name: str) -> list[list[str]]:
    return [shlex.split(line) for line in service(name)["ExecStart"]]


def environment_file() -> dict[str, str]:
    """deploy/systemd/adn-api.env.example as systemd's EnvironmentFile= reads it."""
    values = {}
    for raw in (UNITS / "adn-api.env.example").read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def venv(program: str) -> str:
    return f"{INSTALLED_AT}/.venv/bin/{program}"


def test_each_unit_restarts_reads_the_environment_file_and_runs_from_the_checkout():
    for name in (*APP_UNITS, "adn-api-migrate"):
        svc = service(name)
        assert svc["WorkingDirectory"] == [INSTALLED_AT], name
        assert svc["EnvironmentFile"] == [ENVIRONMENT_FILE], name
        assert svc["User"] == ["adn"], name
        assert "Install" in unit(name) and unit(name)["Install"]["WantedBy"], name
    for name in APP_UNITS:
        svc = service(name)
        restart = svc["Restart"][-1]
        assert restart == "always" or (
            restart == "on-failure" and float(svc["RestartSec"][-1]) <= 10
        ), name
        assert float(svc.get("RestartSec", ["0.1"])[-1]) <= 10, name
        # Migrations run first, as compose's migrate service does.
        assert "adn-api-migrate.service" in unit(name)["Unit"]["Requires"][-1].split(), name
        assert "adn-api-migrate.service" in unit(name)["Unit"]["After"][-1].split(), name
    assert service("adn-api-migrate")["Type"] == ["oneshot"]


def test_the_units_run_what_compose_and_the_readme_run():
    compose = load_compose()["services"]
    for name, compose_service in [
        ("adn-api-web", "web"),
        ("adn-api-worker", "worker"),
        ("adn-api-beat", "beat"),
    ]:
        (command,) = exec_start(name)
        program, *args = command
        wanted_program, *wanted = compose[compose_service]["command"]
        # The program uv sync made (what ``uv run`` runs), with compose's arguments; beat keeps
        # its schedule in its state directory rather than compose's /tmp.
        assert program == venv(wanted_program), name
        same = [a for a in wanted if not a.startswith("--schedule=")]
        assert [a for a in args if not a.startswith("--schedule=")] == same, name
    (schedule,) = [a for a in exec_start("adn-api-beat")[0] if a.startswith("--schedule=")]
    state = service("adn-api-beat")["StateDirectory"][-1]
    assert schedule.startswith(f"--schedule=/var/lib/{state}/"), schedule
    assert exec_start("adn-api-migrate") == [
        [venv("python"), "manage.py", "migrate", "--noinput"],
        [venv("python"), "manage.py", "collectstatic", "--noinput"],
    ]
    # The README's production section runs the same commands and installs these units.
    production = README.read_text().split("## Deployment", 1)[1].split("\n## ", 1)[0]
    flat = " ".join(production.split())
    for command in (
        "uv sync --frozen",
        "manage.py migrate",
        "manage.py collectstatic --noinput",
        "gunicorn --config deploy/gunicorn.conf.py",
        "celery -A adn_api worker",
        "celery -A adn_api beat",
        "deploy/systemd/",
        ENVIRONMENT_FILE,
        "systemctl enable --now",
        *(f"{name}" for name in (*APP_UNITS, "adn-api-migrate")),
    ):
        assert command in flat, command


def test_the_example_environment_file_sets_every_documented_setting():
    env = environment_file()
    assert set(readme_settings()) <= set(env), set(readme_settings()) - set(env)
    gunicorn = {"BIND", "WEB_CONCURRENCY", "WEB_THREADS", "WEB_TIMEOUT", "FORWARDED_ALLOW_IPS"}
    assert gunicorn <= set(env)
    assert env["DEBUG"] == "0" and env["LOG_FORMAT"] == "json"
    # No secret to forget to change: left empty, Django refuses to start.
    assert env["SECRET_KEY"] == ""


def installed_here(tmp_path: Path) -> Path:
    """The units as if installed in this checkout: paths under INSTALLED_AT point here, beat's
    state and gunicorn's runtime directory into ``tmp_path``."""
    target = tmp_path / "units"
    target.mkdir()
    for path in UNITS.glob("*.service"):
        text = path.read_text().replace(INSTALLED_AT, str(ROOT))
        text = text.replace("/var/lib/", f"{tmp_path}/state/").replace("/run/", f"{tmp_path}/run/")
        (target / path.name).write_text(text)
    return target


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_analyze_verifies_the_units(tmp_path):
    units = installed_here(tmp_path)
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in units.glob("*.service"))],
        capture_output=True,
        text=True,
        cwd=units,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "adn-api" not in output, output  # no warning about our units either


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_units_commands_with_the_example_environment_serve_and_take_tasks(tmp_path):
    """Each unit's ExecStart, in its WorkingDirectory, with only the environment systemd would
    give it: the example file (pointed at this test's database and Redis, with a key) and the
    unit's own Environment= lines."""
    units = installed_here(tmp_path)
    port = free_port()
    base_env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        **environment_file(),
        "DATABASE_URL": processes.test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "SECRET_KEY": "units-" + "k" * 40,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "DB_CONN_MAX_AGE": "0",
        # This run's names on the shared Redis (tests/settings.py), so it shares nothing.
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        "REPOST_DEDUPE_KEY_PREFIX": settings.REPOST_DEDUPE_KEY_PREFIX,
    }

    def started(name: str) -> tuple[list[list[str]], dict[str, str]]:
        """The unit's commands, and the environment systemd would give them."""
        svc = parse_unit((units / f"{name}.service").read_text())["Service"]
        assert svc["WorkingDirectory"] == [str(ROOT)]
        env = dict(base_env)
        for line in svc.get("Environment", []):
            key, _, value = line.partition("=")
            env[key] = value
        for directory in svc.get("RuntimeDirectory", []):
            (tmp_path / "run" / directory).mkdir(parents=True)
        for directory in svc.get("StateDirectory", []):
            (tmp_path / "state" / directory).mkdir(parents=True)
        return [shlex.split(line) for line in svc["ExecStart"]], env

    # The one-off unit's migrate (collectstatic takes ~10 s: test_deployment.py runs it).
    migrate_commands, migrate_env = started("adn-api-migrate")
    migrate = next(c for c in migrate_commands if "migrate" in c)
    subprocess.run(migrate, cwd=ROOT, env=migrate_env, check=True, capture_output=True, timeout=120)
    (web_command,), web_env = started("adn-api-web")
    (worker_command,), worker_env = started("adn-api-worker")
    (beat_command,), beat_env = started("adn-api-beat")
    base = f"http://127.0.0.1:{port}"
    with (
        running("worker", worker_command, worker_env) as worker,
        running("beat", beat_command, beat_env) as beat,
        running("web", web_command, web_env) as web,
    ):
        web.wait_until(answers(f"{base}/healthz"), "gunicorn to answer", timeout=60)
        worker.wait_until(lambda: "ready." in worker.output(), "the worker to start", 60)
        beat.wait_until(lambda: "beat: Starting" in beat.output(), "beat to start", 60)
        status, _, body = get(f"{base}/healthz")
        assert status == 200, body
        assert {k: v["status"] for k, v in json.loads(body)["checks"].items()} == {
            "database": "ok",
            "redis": "ok",
            "broker": "ok",
        }
    assert os.listdir(tmp_path / "state" / "adn-api-beat"), "beat kept no schedule"
