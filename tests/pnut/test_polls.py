"""pnut's polls (resources/polls): making one, reading it (private ones with their token),
responding until it closes, results once closed, deleting, listing, and attaching one to a post
with ``io.pnut.core.poll-notice`` and ``+io.pnut.core.poll``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from polls.models import Poll, PollChoice, PollOption, PollResponse
from users.models import User

from ..concurrency import run_together
from ..post_support import snapshot
from .support import V1, data_of, error_of

pytestmark = pytest.mark.django_db

POLL_KEYS = {
    "id",
    "type",
    "prompt",
    "created_at",
    "closed_at",
    "is_anonymous",
    "is_public",
    "max_options",
    "options",
    "source",
    "user",
}


def poll_body(**fields) -> dict:
    return {
        "type": "com.example.site",
        "prompt": "Do you like Pnut?",
        "options": [{"text": "Yes"}, {"text": "Of   course\nyes"}, {"text": "No"}],
        "duration": "60",  # pnut's own example sends strings
        **fields,
    }


def make_poll(api, token, **fields) -> dict:
    return data_of(api.post(f"{V1}/polls", token, data=poll_body(**fields)), 201)


def polls_state() -> tuple:
    return (
        list(Poll.objects.order_by("id").values_list("id", "respondents", "closed_at")),
        list(PollOption.objects.order_by("id").values_list("id", "respondents")),
        PollResponse.objects.count(),
        PollChoice.objects.count(),
    )


def close(poll_id) -> None:
    Poll.objects.filter(pk=poll_id).update(closed_at=timezone.now() - timedelta(seconds=1))


def test_making_a_poll_answers_201_with_pnuts_poll_object_and_its_token(api, tokens):
    poll = make_poll(api, tokens["alice"], is_anonymous="false", max_options=2)
    assert set(poll) == POLL_KEYS | {"poll_token"}
    assert poll["options"] == [
        {"text": "Yes", "position": 1, "is_your_response": False},
        {"text": "Of course yes", "position": 2, "is_your_response": False},
        {"text": "No", "position": 3, "is_your_response": False},
    ]
    assert poll["is_anonymous"] is False and poll["is_public"] is False
    assert poll["max_options"] == 2 and poll["user"]["username"] == "alice"
    assert set(poll["source"]) == {"id", "link", "name"}
    assert poll["closed_at"].endswith("Z") and poll["closed_at"] > poll["created_at"]


def test_positions_given_set_the_order(api, tokens):
    options = [{"text": "second", "position": 2}, {"text": "first", "position": 1}]
    poll = make_poll(api, tokens["alice"], options=options)
    assert [o["text"] for o in poll["options"]] == ["first", "second"]


@pytest.mark.parametrize(
    "fields",
    [
        {"options": [{"text": "only one"}]},
        {"options": [{"text": f"o{i}"} for i in range(11)]},
        {"options": [{"text": "x" * 65}, {"text": "y"}]},
        {"options": [{"text": "a", "position": 1}, {"text": "b", "position": 3}]},
        {"options": "yes,no"},
        {"prompt": ""},
        {"prompt": "?" * 257},
        {"type": ""},
        {"duration": 0},
        {"duration": 20161},
        {"duration": "soon"},
        {"duration": None, "closed_at": "2001-01-01T00:00:00Z"},
        {"duration": None, "closed_at": "not a time"},
        {"duration": None},
        {"max_options": 4},
        {"max_options": 0},
        {"is_public": "maybe"},
    ],
)
def test_a_bad_poll_is_400_and_nothing_is_made(api, tokens, fields):
    body = {k: v for k, v in poll_body(**fields).items() if v is not None}
    assert error_of(api.post(f"{V1}/polls", tokens["alice"], data=body), 400)
    assert not Poll.objects.exists() and not PollOption.objects.exists()


def test_a_private_poll_is_read_by_its_owner_or_with_its_token(api, tokens):
    poll = make_poll(api, tokens["alice"])
    path = f"{V1}/polls/{poll['id']}"
    assert data_of(api.get(path, tokens["alice"]))["poll_token"] == poll["poll_token"]
    assert error_of(api.get(path, tokens["bob"]), 404)
    assert error_of(api.get(path, tokens["bob"], poll_token="wrong"), 404)
    seen = data_of(api.get(path, tokens["bob"], poll_token=poll["poll_token"]))
    assert seen["id"] == poll["id"] and seen["poll_token"] == poll["poll_token"]
    assert error_of(api.get(path), 401)  # polls need a user token


def test_a_public_poll_is_read_by_anyone_without_its_token_shown(api, tokens):
    poll = make_poll(api, tokens["alice"], is_public=True)
    seen = data_of(api.get(f"{V1}/polls/{poll['id']}", tokens["bob"]))
    assert seen["is_public"] is True and "poll_token" not in seen


def test_responding_changing_and_clearing_a_response(api, tokens):
    poll = make_poll(api, tokens["alice"], is_public=True, max_options=2)
    path = f"{V1}/polls/{poll['id']}/response"
    answered = data_of(api.put(f"{path}/2", tokens["bob"]))  # the older path pnutpy calls
    assert [o["is_your_response"] for o in answered["options"]] == [False, True, False]
    assert "respondents" not in answered["options"][0]  # no results until it closes
    changed = data_of(api.put(path, tokens["bob"], data={"positions": [1, 3]}))
    assert [o["is_your_response"] for o in changed["options"]] == [True, False, True]
    data_of(api.put(path, tokens["carol"], positions="1"))  # in the query, comma-separated
    assert Poll.objects.get().respondents == 2
    counts = dict(PollOption.objects.values_list("position", "respondents"))
    assert counts == {1: 2, 2: 0, 3: 1}
    cleared = data_of(api.put(path, tokens["bob"], data={"positions": []}))
    assert not any(o["is_your_response"] for o in cleared["options"])
    assert Poll.objects.get().respondents == 1
    assert dict(PollOption.objects.values_list("position", "respondents")) == {1: 1, 2: 0, 3: 0}


def test_results_show_once_the_poll_closes_with_who_when_not_anonymous(api, bob, tokens):
    poll = make_poll(api, tokens["alice"], is_public=True, is_anonymous=False)
    data_of(api.put(f"{V1}/polls/{poll['id']}/response/3", tokens["bob"]))
    close(poll["id"])
    closed = data_of(api.get(f"{V1}/polls/{poll['id']}", tokens["carol"]))
    assert [o["respondents"] for o in closed["options"]] == [0, 0, 1]
    assert closed["options"][2]["respondent_ids"] == [str(bob.pk)]
    assert error_of(api.put(f"{V1}/polls/{poll['id']}/response/1", tokens["carol"]), 400)


@pytest.mark.parametrize(
    "case, status",
    [
        ("a private poll without its token", 404),
        ("an unknown position", 400),
        ("too many positions", 400),
        ("a repeated position", 400),
        ("a position that is no number", 400),
        ("a closed poll", 400),
        ("a bot account", 403),
        ("no such poll", 404),
    ],
)
def test_a_refused_response_answers_pnuts_error_and_changes_nothing(
    api, make_user, token_for, tokens, case, status
):
    poll = make_poll(api, tokens["alice"], is_public=case != "a private poll without its token")
    token, path, body = tokens["bob"], f"{V1}/polls/{poll['id']}/response", {"positions": [1]}
    if case == "an unknown position":
        body = {"positions": [4]}
    elif case == "too many positions":
        body = {"positions": [1, 2]}
    elif case == "a repeated position":
        body = {"positions": [1, 1]}
    elif case == "a position that is no number":
        body = {"positions": ["first"]}
    elif case == "a closed poll":
        close(poll["id"])
    elif case == "a bot account":
        token = token_for(make_user("robot", type=User.Type.BOT))
    elif case == "no such poll":
        path = f"{V1}/polls/999999/response"
    before = polls_state()
    assert error_of(api.put(path, token, data=body), status)
    assert polls_state() == before


def test_only_the_owner_deletes_a_poll(api, tokens):
    poll = make_poll(api, tokens["alice"], is_public=True)
    path = f"{V1}/polls/{poll['id']}"
    data_of(api.put(f"{path}/response/1", tokens["bob"]))
    assert error_of(api.delete(path, tokens["bob"]), 403)
    assert Poll.objects.filter(pk=poll["id"]).exists()
    deleted = data_of(api.delete(path, tokens["alice"]))
    assert deleted["id"] == poll["id"] and [o["text"] for o in deleted["options"]][0] == "Yes"
    assert error_of(api.get(path, tokens["alice"]), 404)
    assert not PollResponse.objects.exists() and not PollChoice.objects.exists()


def test_several_polls_by_id_with_their_tokens(api, tokens):
    private = make_poll(api, tokens["alice"])
    public = make_poll(api, tokens["alice"], is_public=True)
    hidden = make_poll(api, tokens["alice"])
    ids = f"{hidden['id']},{public['id']},{private['id']}"
    listed = data_of(
        api.get(
            f"{V1}/polls",
            tokens["bob"],
            ids=ids,
            **{f"poll_token_{private['id']}": private["poll_token"]},
        )
    )
    assert [p["id"] for p in listed] == [public["id"], private["id"]]
    assert error_of(api.get(f"{V1}/polls", tokens["bob"]), 400)


@pytest.mark.parametrize("n", [3, 30])
def test_my_polls_newest_first_at_a_constant_number_of_queries(
    api, alice, bob, tokens, django_assert_max_num_queries, n
):
    made = [make_poll(api, tokens["alice"], is_anonymous=False, is_public=1) for _ in range(n)]
    for poll in made:
        data_of(api.put(f"{V1}/polls/{poll['id']}/response/1", tokens["bob"]))
        close(poll["id"])
    make_poll(api, tokens["bob"])  # someone else's
    # The token, the polls, their options, the viewer's choices, the respondent samples, the
    # viewer's relationships with the owners, the owners' client counts.
    with django_assert_max_num_queries(7):
        listed = api.get(f"{V1}/users/me/polls", tokens["alice"], count=200)
    data = data_of(listed)
    assert [p["id"] for p in data] == [p["id"] for p in reversed(made)]
    assert all(p["options"][0]["respondent_ids"] == [str(bob.pk)] for p in data)
    assert listed.json()["meta"]["more"] is False
    ids = ",".join(p["id"] for p in made)
    with django_assert_max_num_queries(7):  # the same, by id (polls?ids=)
        by_id = data_of(api.get(f"{V1}/polls", tokens["bob"], ids=ids))
    assert [p["id"] for p in by_id] == [p["id"] for p in made]
    open_only = data_of(api.get(f"{V1}/users/me/polls", tokens["alice"], include_closed=0))
    assert open_only == []


def test_a_post_attaches_a_poll_with_the_replacement_value(api, tokens):
    poll = make_poll(api, tokens["alice"])
    ref = {"poll_id": poll["id"], "poll_token": poll["poll_token"]}
    raw = {"io.pnut.core.poll-notice": [{"+io.pnut.core.poll": ref, "kept": "as sent"}]}
    post = data_of(
        api.post(f"{V1}/posts", tokens["alice"], data={"text": "vote!", "raw": raw}, include_raw=1),
        201,
    )
    notice = post["raw"]["io.pnut.core.poll-notice"][0]
    assert notice["poll_id"] == poll["id"] and notice["poll_token"] == poll["poll_token"]
    assert notice["prompt"] == "Do you like Pnut?" and notice["kept"] == "as sent"
    assert notice["closed_at"] == poll["closed_at"]
    assert notice["options"][1] == {"text": "Of course yes", "position": 2}
    # Whoever reads the post can answer the private poll with the token in it.
    answered = data_of(
        api.put(
            f"{V1}/polls/{poll['id']}/response/1", tokens["bob"], poll_token=notice["poll_token"]
        )
    )
    assert answered["options"][0]["is_your_response"] is True


@pytest.mark.parametrize(
    "value",
    [
        {"+io.pnut.core.poll": {"poll_id": "1", "poll_token": "wrong"}},
        {"+io.pnut.core.poll": {"poll_id": "999999", "poll_token": "x"}},
        {"+io.pnut.core.poll": "1"},
        {"prompt": "a notice naming no poll"},
    ],
)
def test_a_poll_notice_naming_no_poll_is_400_and_nothing_is_posted(api, tokens, value):
    make_poll(api, tokens["alice"])
    before = snapshot()
    body = {"text": "vote!", "raw": {"io.pnut.core.poll-notice": [value]}}
    assert error_of(api.post(f"{V1}/posts", tokens["alice"], data=body), 400)
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_forty_responses_at_once_are_counted_exactly(make_user, token_for):
    owner = make_user("owner")
    voters = [make_user(f"voter{i}") for i in range(40)]
    calls = []
    for i, voter in enumerate(voters):
        calls.append(("PUT", f"{V1}/polls/{{id}}/response/{i % 3 + 1}", token_for(voter)))
    response = run_together([("POST", f"{V1}/polls", token_for(owner), poll_body(is_public=True))])
    poll_id = response[0][1]["data"]["id"]
    results = run_together([(m, p.format(id=poll_id), t) for m, p, t in calls])
    assert [status for status, _ in results] == [200] * 40
    poll = Poll.objects.get(pk=poll_id)
    assert poll.respondents == 40 and PollResponse.objects.filter(poll=poll).count() == 40
    counts = dict(PollOption.objects.filter(poll=poll).values_list("position", "respondents"))
    assert counts == {1: 14, 2: 13, 3: 13}
    assert PollChoice.objects.filter(response__poll=poll).count() == 40
