"""The README's "Using it" walkthrough, run as written against a live server.

Its fenced ``sh`` blocks run, byte for byte, in one bash process (so their shell variables carry
over), with one change: the server's address in ``export BASE=…`` is this test's gunicorn. The
last ``sh`` block starts ``uv run python``; the ``python`` block is what is pasted into it (its
standard input). The manage.py commands reach the test database through the environment, as a
reader's second terminal reaches the server's database.
"""

from __future__ import annotations

import ast
import re
import secrets
import subprocess

import pytest

from .processes import ROOT, service_env, web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

README_BASE = "export BASE=http://127.0.0.1:8000\n"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SEPARATOR = "@@@ end of block @@@"


def walkthrough() -> tuple[list[str], str]:
    """The ``sh`` blocks and the one ``python`` block of the README's "Using it" section."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Using it\n", 1)[1].split("\n## ", 1)[0]
    blocks = FENCE.findall(section)
    shell = [text for lang, text in blocks if lang == "sh"]
    (python,) = [text for lang, text in blocks if lang == "python"]
    assert {lang for lang, _ in blocks} == {"sh", "python"}
    return shell, python


def run_walkthrough(base: str) -> list[list[str]]:
    """Each ``sh`` block's output lines, in order (the last block's are the python block's), and
    the (empty) output after the last block."""
    shell, python = walkthrough()
    assert shell[0].startswith(README_BASE) and "".join(shell).count("BASE=") == 1
    shell[0] = f"export BASE={base}\n" + shell[0][len(README_BASE) :]
    script = "".join(f"{block}echo '{SEPARATOR}'\n" for block in shell)
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=ROOT,
        # A reader on PostgreSQL has set SECRET_KEY ("Running with PostgreSQL"); manage.py
        # refuses the embedded one there.
        env=service_env(TEST_CELERY_EAGER="1", SECRET_KEY=secrets.token_urlsafe(50)),
        input=python,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    outputs = result.stdout.split(SEPARATOR + "\n")
    assert len(outputs) == len(shell) + 1, result.stdout
    return [output.splitlines() for output in outputs]


def test_the_readme_walkthrough_runs_as_written():
    with web_server(TEST_CELERY_EAGER="1") as base:
        setup, users, adn, actions, read, pnut, after = run_walkthrough(base)

    assert setup == []
    # create_user twice, then the token's owner and scopes.
    assert users[0].startswith("Created @alice (id ") and users[1].startswith("Created @bob (id ")
    assert users[2:4] == ["200", "alice"]
    assert ast.literal_eval(users[4]) == ["basic", "follow", "stream", "write_post"]

    # Bob follows alice; her post is in his personal stream, mention and link in its text.
    assert adn[0:2] == ["200", "True"]
    post_id = adn[2].removeprefix("alice's post: ")
    assert post_id.isdigit()
    text = "Hi @bob, the App.net docs: https://github.com/appdotnet/api-spec"
    assert adn[3:] == [f"{post_id} @alice: {text}"]

    # The repost (of her post, counted), the star, the reply, her own repost refused.
    assert actions[0:3] == ["200", post_id, "1"]
    assert actions[3:6] == ["200", "1", "True"]
    assert actions[6:8] == ["200", post_id]
    assert actions[8:10] == ["400", "You cannot repost your own post."]

    # Bob's stream: his reply, his repost, her post; then the marker, in meta afterwards.
    reply, repost, original = read[0:3]
    assert reply.endswith(" @bob: @alice thanks, starred")
    assert repost.endswith(f" @bob: >> @alice: {text}")
    assert original == f"{post_id} @alice: {text}"
    assert read[3:5] == ["200", "my_stream"]
    last_read = read[5]
    assert last_read.isdigit() and read[6] == last_read

    # pnutpy, as pasted into `uv run python`: follow, post, stream, repost, bookmark, reply.
    assert pnut == [
        "200 True",
        "201 bob https://pnut.io",
        "200 True",
        "201 True True 1",
        "200 True 1",
        "201 True",
    ]
    assert after == []
