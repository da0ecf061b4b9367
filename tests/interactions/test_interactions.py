"""The interactions list: App.net's ``users/me/interactions`` and pnut's ``users/me/actions``
over the rows the domain writes as follows, stars, reposts and replies happen."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from adn_api.oauth.tokens import create_app
from core.paging import Cursor
from interactions.models import Interaction
from interactions.services import interactions_page
from interactions.views import InteractionsView
from posts.services.posting import create_post, delete_post
from posts.services.stars import star, unstar
from reposts.services import repost, unrepost
from users.services import graph
from users.services.profile import update_profile

from ..post_support import error, ok

pytestmark = pytest.mark.django_db

ADN = "/stream/0/users/me/interactions"
PNUT = "/v1/users/me/actions"


def test_each_action_shows_as_an_interaction_newest_first(api, alice, bob, carol, token_for):
    post = create_post(alice, text="hello")
    graph.follow(bob, alice)
    star(bob, post)
    star(carol, post)  # combined with bob's star: same action on the same post
    reply = create_post(carol, text="@alice hi", reply_to=post.pk)
    repost(bob, post)
    data = ok(api.get(ADN, token_for(alice)))
    assert [i["action"] for i in data] == ["repost", "reply", "star", "follow"]
    by_action = {i["action"]: i for i in data}
    assert [u["username"] for u in by_action["star"]["users"]] == ["carol", "bob"]
    assert by_action["star"]["objects"][0]["id"] == str(post.pk)
    assert by_action["reply"]["objects"][0]["id"] == str(post.pk)
    assert by_action["follow"]["objects"][0]["username"] == "alice"
    assert by_action["follow"]["users"][0]["username"] == "bob"
    assert all(i["event_date"].endswith("Z") and i["pagination_id"] for i in data)
    assert reply.reply_to_id == post.pk


def test_undone_actions_disappear(api, alice, bob, token_for):
    post = create_post(alice, text="hello")
    graph.follow(bob, alice)
    star(bob, post)
    repost(bob, post)
    reply = create_post(bob, text="a reply", reply_to=post.pk)
    graph.unfollow(bob, alice)
    unstar(bob, post)
    unrepost(bob, post)
    delete_post(bob, reply.pk)
    assert ok(api.get(ADN, token_for(alice))) == []
    assert not Interaction.objects.exists()


def test_own_actions_blocked_and_muted_users_are_left_out(api, alice, bob, carol, token_for):
    post = create_post(alice, text="hello")
    star(alice, post)  # one's own star tells nobody
    star(bob, post)
    star(carol, post)
    graph.mute(alice, bob)
    graph.block(carol, alice)
    assert ok(api.get(ADN, token_for(alice))) == []
    graph.unmute(alice, bob)
    data = ok(api.get(ADN, token_for(alice)))
    assert [u["username"] for i in data for u in i["users"]] == ["bob"]


def test_a_deleted_post_takes_its_interactions_off_the_list(api, alice, bob, token_for):
    post = create_post(alice, text="hello")
    star(bob, post)
    delete_post(alice, post.pk)
    assert ok(api.get(ADN, token_for(alice))) == []


def test_action_filters_and_pagination(api, alice, make_user, token_for):
    post = create_post(alice, text="hello")
    people = [make_user(f"user{i}") for i in range(5)]
    for person in people:
        graph.follow(person, alice)
        create_post(person, text="re", reply_to=post.pk)
    token = token_for(alice)
    follows = ok(api.get(ADN, token, interaction_actions="follow"))
    assert {i["action"] for i in follows} == {"follow"}
    assert ok(api.get(ADN, token, action_types="reply"))[0]["action"] == "reply"
    assert ok(api.get(ADN, token, interaction_actions="nonsense")) == []
    first = api.get(ADN, token, count=3).json()
    assert first["meta"]["more"] is True and len(first["data"]) == 3
    rest = ok(api.get(ADN, token, count=20, before_id=first["meta"]["min_id"]))
    seen = [i["pagination_id"] for i in first["data"] + rest]
    assert len(seen) == len(set(seen)) == 10
    error(api.get(ADN, token, count="many"), 400)
    error(api.get(ADN, token, before_id="last_read"), 400)


def test_the_interactions_marker(api, alice, bob, token_for):
    graph.follow(bob, alice)
    token = token_for(alice)
    body = api.get(ADN, token).json()
    assert body["meta"]["marker"] == {"name": "interactions"}
    top = body["data"][0]["pagination_id"]
    ok(api.post("/stream/0/posts/marker", token, data={"name": "interactions", "id": top}))
    assert api.get(ADN, token).json()["meta"]["marker"]["id"] == top


def test_an_empty_list_shows_its_marker_as_it_now_is(api, alice, token_for):
    token = token_for(alice)
    assert api.get(ADN, token).json()["meta"]["marker"] == {"name": "interactions"}
    ok(api.post("/stream/0/posts/marker", token, data={"name": "interactions", "id": "5"}))
    assert api.get(ADN, token).json()["meta"]["marker"]["id"] == "5"


def test_interactions_need_a_user_token(api, token_for):
    error(api.get(ADN), 401)
    error(api.get(ADN, token_for(None)), 403)


def test_pnut_actions_speak_pnut(api, alice, bob, token_for):
    post = create_post(alice, text="hello")
    star(bob, post)
    graph.follow(bob, alice)
    token = token_for(alice)
    data = ok(api.get(PNUT, token))
    assert [i["action"] for i in data] == ["follow", "bookmark"]
    assert data[1]["objects"][0]["id"] == str(post.pk)
    assert [i["action"] for i in ok(api.get(PNUT, token, filters="bookmark"))] == ["bookmark"]


@pytest.mark.parametrize("count", [20, 200])
def test_a_page_costs_the_same_queries_for_any_count(
    api, alice, make_user, token_for, count, django_assert_max_num_queries
):
    posts = [create_post(alice, text=f"post {i}") for i in range(70)]
    for i in range(70):  # each fan's follow, star and repost: three interactions of their own
        person = make_user(f"fan{i}")
        graph.follow(person, alice)
        star(person, posts[i])
        repost(person, posts[i])
    token = token_for(alice)
    with django_assert_max_num_queries(INTERACTION_QUERIES):
        data = ok(api.get(ADN, token, count=count))
    assert len(data) == count
    with django_assert_max_num_queries(INTERACTION_QUERIES - 1):  # every post rendered already
        assert ok(api.get(ADN, token, count=count)) == data
    # pnut's users carry their client counts: the posts' authors' are counted as the posts are
    # rendered (one query more), the actors' with the rows.
    with django_assert_max_num_queries(INTERACTION_QUERIES + 1):
        pnut = ok(api.get(PNUT, token, count=count))
    assert len(pnut) == count
    with django_assert_max_num_queries(INTERACTION_QUERIES - 1):
        assert ok(api.get(PNUT, token, count=count)) == pnut


# The token, the rows (with their actors, the actors' follows with the viewer and the marker),
# the posts not yet rendered, and the viewer's relations to the posts and their authors.
INTERACTION_QUERIES = 4


def test_an_actors_change_shows_on_the_next_page_in_both_dialects(api, alice, bob, token_for):
    """A page read again takes the actors this process holds at their versions, and their
    renderings: a profile, a counter or an app of theirs changed since is read afresh."""
    post = create_post(alice, text="hello")
    star(bob, post)
    token = token_for(alice)

    def actor(path: str) -> dict:
        return ok(api.get(path, token, include_user_html=1))[0]["users"][0]

    assert actor(ADN)["username"] == actor(PNUT)["username"] == "bob"
    assert actor(ADN) == actor(ADN) and actor(PNUT) == actor(PNUT)  # held, then kept
    update_profile(bob, {"name": "Robert", "description": {"text": "hi #there"}}, replace=False)
    for path in (ADN, PNUT):
        assert actor(path)["name"] == "Robert"
    assert actor(ADN)["description"]["entities"]["hashtags"][0]["name"] == "there"
    assert actor(PNUT)["content"]["entities"]["tags"][0]["text"] == "there"
    create_post(bob, text="one more")
    assert actor(ADN)["counts"]["posts"] == actor(PNUT)["counts"]["posts"] == 1
    create_app("Bob's client", link="https://example.com", owner=bob)
    assert actor(PNUT)["counts"]["clients"] == 1
    graph.follow(alice, bob)
    assert actor(ADN)["you_follow"] and actor(PNUT)["you_follow"]


def test_a_page_read_again_unchanged_is_not_rendered_again(
    api, alice, bob, carol, token_for, monkeypatch
):
    """A viewer's page is kept under the versions of all it shows (interactions/views.py,
    ``signature``): read again unchanged, it is the same answer without rendering; a change to
    the viewer, a post's rows or the marker, a new row or other options show at once."""
    graph.follow(bob, alice)
    token = token_for(alice)
    rendered = []
    render = InteractionsView.render
    monkeypatch.setattr(InteractionsView, "render", lambda *a: rendered.append(1) or render(*a))

    def page() -> list[dict]:
        return ok(api.get(ADN, token))

    first = page()
    assert page() == first and len(rendered) == 1
    update_profile(alice, {"name": "Alice B."}, replace=False)  # the followed, shown as viewer
    assert page()[0]["objects"][0]["name"] == "Alice B."
    app = create_app("Alice's client", link="https://example.com")[0]
    post = create_post(alice, text="hello", source=app)
    star(bob, post)
    assert page()[0]["objects"][0]["source"]["name"] == "Alice's client"
    app.name = "Alice's new client"
    app.save()  # a row the post shows, changed without the post's
    assert page()[0]["objects"][0]["source"]["name"] == "Alice's new client"
    repost(carol, post)
    assert [i["action"] for i in page()] == ["repost", "star", "follow"]
    top = first[0]["pagination_id"]
    ok(api.post("/stream/0/posts/marker", token, data={"name": "interactions", "id": top}))
    assert api.get(ADN, token).json()["meta"]["marker"]["id"] == top
    without_html = ok(api.get(ADN, token, include_html=0))
    assert "html" not in without_html[0]["objects"][0] and "html" in page()[0]["objects"][0]
    assert ok(api.get(PNUT, token))[1]["action"] == "bookmark"


def test_a_page_read_again_ships_only_the_ids_and_versions_of_the_actors_held(alice, bob):
    post = create_post(alice, text="hello")
    star(bob, post)
    repost(bob, post)
    read = lambda: interactions_page(alice, None, Cursor(count=20), marker="m", clients=False)  # noqa: E731
    first = read().rows  # its rows built, their actors held
    with CaptureQueriesContext(connection) as captured:
        again = read()
    assert again.signature == read().signature
    assert [r.actor for r in again.rows] == [r.actor for r in first]
    assert all(row.actor is first[0].actor for row in again.rows)  # the one held
    assert '"users_user"."username" END' in captured.captured_queries[0]["sql"]
