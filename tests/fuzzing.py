"""Fuzz every operation of the OpenAPI schema against a live server (schemathesis + Hypothesis).

Each operation gets generated requests, valid (positive) and invalid (negative), sent with a real
token; path parameters are often swapped for ids that exist so that requests get past the 404.
Failures are tallied rather than raised, so one run reports every kind of failure at once and
the request count stays what was asked for (no shrinking).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.specs.openapi.checks import response_schema_conformance

from diaspora.serializers import numbered_guid
from messaging.services.conversations import start_conversation
from posts.services.posting import create_post
from posts.services.stars import star
from reposts.services import repost
from users.models import User
from users.services.graph import follow

DIASPORA_PREFIX = "/api/v1/"


@dataclass
class Seeded:
    """What exists before the run: ids to put in paths, and the viewer's token."""

    token: str
    path_values: dict[str, list[str]]


@dataclass
class Tally:
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    shape_violations: list[str] = field(default_factory=list)
    # gunicorn's own HTML answers (414 for a request line over 4094 bytes, 400 for a malformed
    # one): the request never reached Django, so no dialect can shape them. Counted, not failed.
    http_server_rejections: list[str] = field(default_factory=list)
    schema_violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"requests={self.requests} 5xx={len(self.server_errors)} "
            f"shape_violations={len(self.shape_violations)} "
            f"schema_violations={len(self.schema_violations)} "
            f"http_server_rejections={len(self.http_server_rejections)}"
        )


def seed(issue_token: Callable[[User], str]) -> Seeded:
    """A few users who follow each other, posts, a reply, a star, a repost and a conversation."""
    users = [
        User.objects.create_user(username=name, password=f"pw-{name}-secret")
        for name in ("fuzzer", "fuzz_friend", "fuzz_other")
    ]
    viewer, friend, other = users
    follow(viewer, friend)
    follow(friend, viewer)
    follow(other, viewer)
    posts = [create_post(u, text=f"hello #fuzz from @{u.username}") for u in users]
    reply = create_post(friend, text="a reply", reply_to=posts[0].pk)
    star(viewer, posts[1])
    repost(viewer, posts[2])
    post_ids = [str(p.pk) for p in [*posts, reply]]
    # A diaspora conversation of the viewer's: its routes share posts' {guid}.
    conversation, _ = start_conversation(viewer, [friend.pk], subject="fuzz", text="hello")
    return Seeded(
        token=issue_token(viewer),
        path_values={
            "user_id": ["me", *(str(u.pk) for u in users), *(f"@{u.username}" for u in users)],
            "post_id": post_ids,
            "guid": [*(p.guid for p in posts), numbered_guid(conversation.pk)],
            "comment_guid": [reply.guid],
            "hashtag": ["fuzz"],
        },
    )


def error_shape_problem(path: str, response: requests.Response) -> str | None:
    """Why a 4xx/5xx body is not the dialect's error shape, or None when it is."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return "the body is not JSON"
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    if path.startswith(DIASPORA_PREFIX):
        if body.get("code") != response.status_code or not isinstance(body.get("message"), str):
            return "diaspora error without code == status and a message"
        return None
    meta = body.get("meta")
    if not isinstance(meta, dict) or meta.get("code") != response.status_code:
        return "no meta.code equal to the status"
    if not isinstance(meta.get("error_message"), str):
        return "no meta.error_message"
    return None


def rejected_by_http_server(response) -> bool:
    """gunicorn's own error page: HTML, where every API answer is JSON."""
    return response.status_code in (400, 414) and response.content.lstrip().startswith(b"<html>")


def describe(case, response: requests.Response, problem: str) -> str:
    return (
        f"{case.method} {response.request.url} -> {response.status_code} ({problem}); "
        f"body sent: {str(case.body)[:200]!r}; answer: {response.text[:200]!r}"
    )


def fuzz(
    base_url: str,
    seeded: Seeded,
    fresh_token: Callable[[], str],
    examples: int,
    check_schema: bool = True,
    progress: bool = False,
) -> Tally:
    """Run ``examples`` generated requests per operation and generation mode."""
    schema = schemathesis.openapi.from_url(f"{base_url}/stream/0/openapi.json", timeout=120)
    tally = Tally()
    session = requests.Session()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        # Revoking the token would lock every later request out: those calls get their own.
        revokes_token = operation.method.upper() == "DELETE" and operation.path.endswith("/token")
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)
            # An operation with nothing to make invalid (no parameters, no body) has no
            # negative cases: Hypothesis reports that as Unsatisfiable.
            with contextlib.suppress(Unsatisfiable):
                run_operation(
                    strategy,
                    examples,
                    base_url,
                    seeded,
                    session,
                    tally,
                    fresh_token if revokes_token else None,
                    check_schema,
                )
        if progress:
            print(f"{operation.method.upper()} {operation.path}: {tally.summary()}", flush=True)
    return tally


def run_operation(
    strategy, examples, base_url, seeded, session, tally, fresh_token, check_schema
) -> None:
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def one_request(data) -> None:
        case = data.draw(strategy)
        for name in list(case.path_parameters or {}):
            if name in seeded.path_values and data.draw(st.integers(0, 3)) > 0:
                case.path_parameters[name] = data.draw(st.sampled_from(seeded.path_values[name]))
        headers = {}
        if data.draw(st.integers(0, 9)) > 0:  # now and then, no token at all
            token = fresh_token() if fresh_token else seeded.token
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=60)
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader, ValueError):
            return  # requests refuses to send it: nothing reached the server
        tally.requests += 1
        raw = response.request  # schemathesis' Response keeps the prepared request
        http = requests.Response()
        http.status_code, http._content, http.request = response.status_code, response.content, raw
        path = case.formatted_path
        if response.status_code >= 500:
            tally.server_errors.append(describe(case, http, "server error"))
        elif response.status_code >= 400:
            problem = error_shape_problem(path, http)
            if problem and rejected_by_http_server(response):
                tally.http_server_rejections.append(describe(case, http, problem))
            elif problem:
                tally.shape_violations.append(describe(case, http, problem))
        if check_schema and response.status_code < 500:
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except (AssertionError, BaseExceptionGroup) as failure:
                tally.schema_violations.append(describe(case, http, str(failure)[:300]))

    one_request()
