"""compose.yaml read as data, and its services started here as plain processes (no container
engine runs on this machine): the same commands and environment, pointed at this test's
PostgreSQL database and Redis."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from ..processes import ROOT, wait_for

COMPOSE = ROOT / "compose.yaml"
README = ROOT / "README.md"

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}: compose's forms.
VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def interpolate(value: str, env: dict[str, str]) -> str:
    """Expand compose's variables as ``docker compose`` does; a missing required one raises."""

    def expand(match: re.Match) -> str:
        name, op, arg = match.groups()
        present = name in env and (env[name] != "" or not (op or "").startswith(":"))
        if present:
            return env[name]
        if op in (":?", "?"):
            raise KeyError(f"{name}: {arg}")
        return arg or ""

    return VARIABLE.sub(expand, value)


def service_environment(service: dict, env: dict[str, str]) -> dict[str, str]:
    raw = service.get("environment", {})
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {key: interpolate(str(value), env) for key, value in raw.items()}


def readme_settings() -> list[str]:
    """The variables in the README's configuration table."""
    section = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)


class Process:
    """A command run in its own process group, its output in a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]):
        self.name = name
        self.log = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until(self, ready: Callable[[], bool], what: str, timeout: float = 120) -> None:
        def done() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.output()}")
            return ready()

        wait_for(done, timeout, what)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


@contextlib.contextmanager
def running(name: str, command: list[str], env: dict[str, str]) -> Iterator[Process]:
    process = Process(name, command, env)
    try:
        yield process
    finally:
        process.stop()


def venv_path_env(env: dict[str, str]) -> dict[str, str]:
    """The image puts the virtualenv's bin first on PATH; so does this."""
    return {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"}


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 10):
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def answers(url: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            get(url, timeout=2)
        except OSError:
            return False
        return True

    return check
