"""The real pnut client library, pnutpy, unchanged, against the server in gunicorn: revising a
post (pnutpy has no method of its own for it, so its generic ``request_json`` sends the PUT and
its models read the answers), and its poll calls: ``create_poll``, ``respond_to_poll`` (by 100
users at once, counted exactly), ``get_poll``, ``get_my_polls``, ``delete_poll``."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pnutpy
import pytest
from pnutpy.errors import PnutAPIException, PnutMissing, PnutPermissionDenied
from pnutpy.models import Post

from polls.models import Poll, PollChoice, PollOption, PollResponse

from ..processes import web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

VOTERS = 100


def test_pnutpy_revises_a_post_and_its_earlier_repost_keeps_the_first_words(make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    with web_server(TEST_CELERY_EAGER="1") as base:

        def client(user) -> pnutpy.API:
            return pnutpy.API.build_api(api_root=f"{base}/v1", access_token=token_for(user))

        as_alice, as_bob = client(alice), client(bob)
        post, meta = as_alice.create_post(data={"text": "pnutpy first words #pnut"})
        assert meta.code == 201
        as_bob.repost_post(post.id)

        answer = as_alice.request_json(
            "PUT", f"/posts/{post.id}", data={"text": "pnutpy better words #pnut"}
        )
        assert answer.meta.code == 201
        revised = Post.from_response_data(answer.data, as_alice)
        assert revised.id == post.id and revised.content.text == "pnutpy better words #pnut"
        assert revised.is_revised is True

        fetched, _ = as_bob.get_post(post.id)
        assert fetched.content.text == "pnutpy better words #pnut" and fetched.is_revised
        versions = as_bob.request("GET", f"/posts/{post.id}/revisions").data
        assert [(v.revision, v.content.text) for v in versions] == [
            ("0", "pnutpy first words #pnut")
        ]
        bobs, _ = as_bob.users_posts(bob.pk)
        assert bobs[0].repost_of.content.text == "pnutpy first words #pnut"

        with pytest.raises(PnutAPIException):  # pnut: once only (409)
            as_alice.request_json("PUT", f"/posts/{post.id}", data={"text": "again #pnut"})
        with pytest.raises(PnutPermissionDenied):  # only the author
            as_bob.request_json("PUT", f"/posts/{post.id}", data={"text": "mine #pnut"})


def test_pnutpy_poll_calls_with_a_hundred_users_answering_at_once(make_user, token_for):
    owner = make_user("owner")
    voters = [make_user(f"voter{i}") for i in range(VOTERS)]
    tokens = [token_for(voter) for voter in voters]
    # Sixteen request threads in one gunicorn worker: the responses really overlap.
    with web_server(TEST_CELERY_EAGER="1", WEB_THREADS="16") as base:

        def client(token: str) -> pnutpy.API:
            return pnutpy.API.build_api(api_root=f"{base}/v1", access_token=token)

        as_owner = client(token_for(owner))
        poll, meta = as_owner.create_poll(
            data={
                "type": "io.pnut.core.poll",
                "prompt": "Tabs or spaces?",
                "options": [{"text": "tabs"}, {"text": "spaces"}, {"text": "both"}],
                "duration": 60,
                "is_public": True,
                "is_anonymous": False,
            }
        )
        assert meta.code == 201 and poll.poll_token and poll.user.username == "owner"

        barrier = threading.Barrier(VOTERS, timeout=120)

        def vote(index: int):
            api = client(tokens[index])
            barrier.wait()
            answered, _ = api.respond_to_poll(poll.id, index % 3 + 1)
            return answered

        with ThreadPoolExecutor(max_workers=VOTERS) as pool:
            answers = list(pool.map(vote, range(VOTERS)))
        for index, answered in enumerate(answers):
            mine = [o.position for o in answered.options if o.is_your_response]
            assert mine == [index % 3 + 1]

        row = Poll.objects.get(pk=poll.id)
        assert row.respondents == VOTERS
        assert PollResponse.objects.filter(poll=row).count() == VOTERS
        assert PollChoice.objects.filter(response__poll=row).count() == VOTERS
        counts = dict(PollOption.objects.filter(poll=row).values_list("position", "respondents"))
        assert counts == {1: 34, 2: 33, 3: 33}

        got, _ = as_owner.get_poll(poll.id)
        assert got.id == poll.id and "respondents" not in got.options[0]  # still open
        mine, _ = as_owner.get_my_polls()
        assert [p.id for p in mine] == [poll.id]
        deleted, _ = as_owner.delete_poll(poll.id)
        assert deleted.id == poll.id
        with pytest.raises(PnutMissing):
            as_owner.get_poll(poll.id)
