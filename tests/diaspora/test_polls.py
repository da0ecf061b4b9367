"""diaspora's polls (its API documentation: a post's ``poll``, ``POST posts`` with one, ``POST
posts/{guid}/vote``), on the same rows as pnut's polls (CONTRACT §9)."""

from __future__ import annotations

import pytest

from polls.models import Poll, PollOption, PollResponse
from posts.models import Post
from users.services.graph import follow

from ..pnut.support import V1, data_of
from .support import API, diaspora_error, ok

pytestmark = pytest.mark.django_db

POLL = {"question": "Want to vote on a poll?", "poll_answers": ["Yes!", "Sure!", "Hell yeah!"]}


def publish(api, token, **fields):
    return api.post(f"{API}/posts", token, data={"body": "a post with a poll", **fields})


def test_a_post_published_with_a_poll_shows_it_in_diasporas_shape(api, alice, token_for):
    made = ok(publish(api, token_for(alice), poll=POLL))
    assert made["body"] == "a post with a poll" and made["post_type"] == "StatusMessage"
    poll = made["poll"]
    assert set(poll) == {
        "guid",
        "participation_count",
        "already_participated",
        "question",
        "poll_answers",
    }
    assert poll["question"] == POLL["question"] and poll["participation_count"] == 0
    assert [a["answer"] for a in poll["poll_answers"]] == POLL["poll_answers"]
    assert all(set(a) == {"id", "answer", "vote_count", "own_answer"} for a in poll["poll_answers"])
    assert ok(api.get(f"{API}/posts/{made['guid']}"))["poll"] == poll
    plain = ok(publish(api, token_for(alice)))
    assert "poll" not in plain


def test_votes_count_once_per_person_and_show_in_both_dialects(api, alice, bob, token_for):
    made = ok(publish(api, token_for(alice), poll=POLL))
    answers = made["poll"]["poll_answers"]
    vote = f"{API}/posts/{made['guid']}/vote"
    response = api.post(vote, token_for(bob), data={"poll_answer": answers[1]["id"]})
    assert response.status_code == 204, response.content
    seen = ok(api.get(f"{API}/posts/{made['guid']}", token_for(bob)))["poll"]
    assert seen["participation_count"] == 1 and seen["already_participated"] is True
    assert [(a["vote_count"], a["own_answer"]) for a in seen["poll_answers"]] == [
        (0, False),
        (1, True),
        (0, False),
    ]
    again = api.post(vote, token_for(bob), data={"poll_answer": answers[0]["id"]})
    diaspora_error(again, 410, "There already was a vote recorded for this poll")
    assert PollResponse.objects.count() == 1
    assert list(PollOption.objects.values_list("respondents", flat=True)) == [0, 1, 0]

    # pnut reads the same poll through the post's notice and its token.
    post = Post.objects.get(guid=made["guid"])
    notice = data_of(api.get(f"{V1}/posts/{post.pk}", token_for(bob), include_raw=1))["raw"]
    ref = notice["io.pnut.core.poll-notice"][0]
    pnut_poll = data_of(
        api.get(f"{V1}/polls/{ref['poll_id']}", token_for(bob), poll_token=ref["poll_token"])
    )
    assert [o["is_your_response"] for o in pnut_poll["options"]] == [False, True, False]


def test_a_pnut_poll_attached_to_a_post_is_voted_on_in_diaspora(api, alice, bob, token_for):
    pnut_poll = data_of(
        api.post(
            f"{V1}/polls",
            token_for(alice),
            data={
                "type": "x.y",
                "prompt": "pnut asks",
                "options": [{"text": "a"}, {"text": "b"}],
                "duration": 5,
            },
        ),
        201,
    )
    ref = {"poll_id": pnut_poll["id"], "poll_token": pnut_poll["poll_token"]}
    raw = {"io.pnut.core.poll-notice": [{"+io.pnut.core.poll": ref}]}
    post = data_of(
        api.post(f"{V1}/posts", token_for(alice), data={"text": "vote", "raw": raw}), 201
    )
    guid = Post.objects.get(pk=post["id"]).guid
    answer = ok(api.get(f"{API}/posts/{guid}"))["poll"]["poll_answers"][0]["id"]
    response = api.post(f"{API}/posts/{guid}/vote", token_for(bob), data={"poll_answer": answer})
    assert response.status_code == 204
    seen = data_of(
        api.get(f"{V1}/polls/{pnut_poll['id']}", token_for(bob), poll_token=ref["poll_token"])
    )
    assert seen["options"][0]["is_your_response"] is True


@pytest.mark.parametrize(
    "fields",
    [
        {"poll": {"question": "one answer?", "poll_answers": ["only"]}},
        {"poll": {"question": "", "poll_answers": ["a", "b"]}},
        {"poll": {"question": "no answers"}},
        {"poll": "yes or no"},
        {"body": ""},
        {"public": False, "aspects": [1]},
        {"photos": ["0123456789abcdef0123456789abcdef"]},
    ],
)
def test_a_post_that_cannot_be_published_is_422_and_nothing_is_made(api, alice, token_for, fields):
    body = {"body": "a post", "poll": POLL, **fields}
    response = api.post(f"{API}/posts", token_for(alice), data=body)
    diaspora_error(response, 422, "Failed to create the post")
    assert not Post.objects.exists() and not Poll.objects.exists()


def test_a_vote_that_cannot_count_is_refused_in_diasporas_words(api, alice, bob, token_for):
    made = ok(publish(api, token_for(alice), poll=POLL))
    plain = ok(publish(api, token_for(alice)))
    token = token_for(bob)
    wrong = api.post(f"{API}/posts/{made['guid']}/vote", token, data={"poll_answer": 999999})
    diaspora_error(wrong, 422)
    no_poll = api.post(f"{API}/posts/{plain['guid']}/vote", token, data={"poll_answer": 1})
    diaspora_error(no_poll, 422)
    missing = api.post(f"{API}/posts/{'0' * 32}/vote", token, data={"poll_answer": 1})
    diaspora_error(missing, 404)
    assert not PollResponse.objects.exists()


def test_reading_the_publishing_route_is_405_in_diasporas_shape(api):
    response = api.get(f"{API}/posts")
    diaspora_error(response, 405)
    assert {m.strip() for m in response["Allow"].split(",")} == {"POST", "OPTIONS"}


def test_the_main_stream_shows_each_viewer_the_polls_counts_and_their_own_vote(
    api, alice, bob, token_for, django_capture_on_commit_callbacks
):
    # A stream page's posts come from the rendered-post cache: a poll's counts and who voted
    # are the poll's rows, not the post's, so a post with a poll is rendered afresh.
    follow(bob, alice)
    with django_capture_on_commit_callbacks(execute=True):  # the post's fan-out
        made = ok(publish(api, token_for(alice), poll=POLL))

    def stream_poll(user):
        posts = ok(api.get(f"{API}/streams/main", token_for(user)))
        return next(p["poll"] for p in posts if p["guid"] == made["guid"])

    assert stream_poll(bob)["participation_count"] == 0  # read once: cached if it could be
    answer = made["poll"]["poll_answers"][2]["id"]
    vote = api.post(
        f"{API}/posts/{made['guid']}/vote", token_for(bob), data={"poll_answer": answer}
    )
    assert vote.status_code == 204, vote.content
    seen = stream_poll(bob)
    assert seen["participation_count"] == 1 and seen["already_participated"] is True
    assert [a["own_answer"] for a in seen["poll_answers"]] == [False, False, True]
    assert stream_poll(alice)["already_participated"] is False
