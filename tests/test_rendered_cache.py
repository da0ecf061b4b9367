"""Stream pages come from the rendered-post cache (adn_api/rendered.py), and no change to what a
post shows is ever served stale from it: after an edit, a delete, a counter change, a profile
change, a suspension or an app rename, a page read through a warm cache is exactly the page read
with the cache emptied, in all three dialects; the viewer's own flags are never shared between
viewers; and a revoked token or a suspended account is refused on the very next request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from oauth2_provider.models import get_access_token_model

from adn_api.oauth.tokens import create_app
from adn_api.rendered import code_signature
from posts.models import Post
from posts.services.posting import create_post, delete_post
from posts.services.reports import report_post
from posts.services.stars import star
from reposts.services import repost
from streams.services.fanout import write_rows
from users.services import graph
from users.services.moderation import suspend
from users.services.profile import update_profile

from .conftest import clear_run_cache

pytestmark = pytest.mark.django_db

STREAMS = {
    "adn": "/stream/0/posts/stream",
    "pnut": "/v1/posts/streams/me",
    "diaspora": "/api/v1/streams/main",
}


@pytest.fixture
def world(make_user, token_for, oauth_app):
    viewer, author, other = make_user("viewer"), make_user("author"), make_user("other")
    graph.follow(viewer, author)
    graph.follow(viewer, other)
    original = create_post(author, text="first words #news", source=oauth_app)
    reply = create_post(other, text="an answer", reply_to=original.pk)
    shared = repost(other, original)[0]
    for post in (original, reply, shared):
        write_rows([viewer.pk, other.pk], post.pk)
    return {
        "viewer": viewer,
        "author": author,
        "other": other,
        "original": original,
        "app": oauth_app,
        "token": token_for(viewer),
        "other_token": token_for(other),
    }


def body(response):
    assert response.status_code == 200, response.content
    data = response.json()
    return data if isinstance(data, list) else data["data"]


def read_all(api, token: str) -> dict[str, list]:
    return {name: body(api.get(path, token)) for name, path in STREAMS.items()}


def read_uncached(api, token: str) -> dict[str, list]:
    clear_run_cache()
    return read_all(api, token)


def assert_fresh_after(api, world, change) -> dict[str, list]:
    """Warm the cache, make the change, and check the cached read against an uncached one."""
    before = read_all(api, world["token"])
    assert read_all(api, world["token"]) == before  # served from the cache, the same bytes
    change()
    after = read_all(api, world["token"])
    assert after == read_uncached(api, world["token"])
    assert after != before, "the change should show"
    return after


def texts(page: dict[str, list]) -> dict[str, list]:
    return {
        "adn": [p.get("text") for p in page["adn"]],
        "pnut": [p.get("content", {}).get("text") for p in page["pnut"]],
        "diaspora": [p["body"] for p in page["diaspora"]],
    }


def test_the_pages_are_cached_and_the_same_as_rendered_afresh(api, world):
    cached = read_all(api, world["token"])
    assert all(len(posts) == 3 for posts in cached.values())
    assert read_all(api, world["token"]) == cached == read_uncached(api, world["token"])


def test_an_edit_of_a_post_by_any_write_path_shows_on_the_next_read(api, world):
    original = world["original"]

    def edit():
        # A plain UPDATE, as a new write path (a revision) would make it: the row's version
        # is raised by the database.
        Post.objects.filter(pk=original.pk).update(text="second words", html="<p>second</p>")

    after = assert_fresh_after(api, world, edit)
    assert "second words" in texts(after)["adn"]
    assert "second words" in texts(after)["pnut"]
    assert "second words" in texts(after)["diaspora"]


def test_a_deleted_post_shows_deleted_on_the_next_read(api, world):
    reply = Post.objects.get(text="an answer")
    after = assert_fresh_after(api, world, lambda: delete_post(world["other"], reply.pk))
    assert any(p.get("is_deleted") for p in after["adn"])  # App.net and pnut show tombstones
    assert any(p.get("is_deleted") for p in after["pnut"])
    assert "an answer" not in texts(after)["diaspora"]  # diaspora's stream leaves them out


def test_a_counter_change_shows_on_the_next_read(api, world, make_user):
    fan = make_user("fan")
    after = assert_fresh_after(api, world, lambda: star(fan, world["original"]))
    original = next(p for p in after["adn"] if p["id"] == str(world["original"].pk))
    assert original["num_stars"] == 1
    pnut = next(p for p in after["pnut"] if p["id"] == str(world["original"].pk))
    assert pnut["counts"]["bookmarks"] == 1
    assert any(p["interaction_counters"]["likes"] == 1 for p in after["diaspora"])


def test_a_profile_change_shows_on_the_next_read(api, world):
    def rename():
        update_profile(world["author"], {"name": "Renamed Author"}, replace=False)

    after = assert_fresh_after(api, world, rename)
    assert any(p["user"]["name"] == "Renamed Author" for p in after["adn"])
    assert any(p["author"]["name"] == "Renamed Author" for p in after["diaspora"])


def test_a_mentioned_users_change_shows_in_diasporas_mentioned_people(api, world):
    """diaspora shows the people a post mentions as they now are: their versions are part of
    the page's, so a rename or a suspension of someone mentioned is seen at once."""
    mention = create_post(world["author"], text="hello @other")
    write_rows([world["viewer"].pk], mention.pk)

    def people() -> list[list[str]]:
        return [
            [person["name"] for person in post["mentioned_people"]]
            for post in body(api.get(STREAMS["diaspora"], world["token"]))
        ]

    assert ["other"] in people() and people() == people()  # the second from the cache
    update_profile(world["other"], {"name": "Other Renamed"}, replace=False)
    assert ["Other Renamed"] in people()
    suspend([world["other"].pk])
    assert people()[0] == []


def test_an_app_rename_shows_on_the_next_read(api, world):
    def rename():
        world["app"].name = "Renamed App"
        world["app"].save()

    after = assert_fresh_after(api, world, rename)
    assert any(p["source"]["name"] == "Renamed App" for p in after["adn"])


def test_an_app_the_author_makes_shows_in_pnuts_client_count_on_the_next_read(api, world):
    def make_app():
        create_app("Another client", link="https://example.com", owner=world["author"])

    after = assert_fresh_after(api, world, make_app)
    author = str(world["author"].pk)
    counts = [p["user"]["counts"]["clients"] for p in after["pnut"] if p["user"]["id"] == author]
    assert counts and all(n == 1 for n in counts)


def test_a_suspended_users_posts_vanish_from_cached_pages_at_once(api, world):
    after = assert_fresh_after(api, world, lambda: suspend([world["author"].pk]))
    for posts in after.values():
        assert len(posts) == 1  # the reply by "other"; the original and its repost are gone
    assert all(p["user"]["username"] == "other" for p in after["adn"])


def test_each_viewer_sees_their_own_flags_on_the_same_cached_posts(api, world):
    star(world["viewer"], world["original"])
    mine = read_all(api, world["token"])
    theirs = read_all(api, world["other_token"])
    original = str(world["original"].pk)
    assert next(p for p in mine["adn"] if p["id"] == original)["you_starred"] is True
    assert next(p for p in theirs["adn"] if p["id"] == original)["you_starred"] is False
    assert next(p for p in mine["pnut"] if p["id"] == original)["you_bookmarked"] is True
    assert next(p for p in theirs["pnut"] if p["id"] == original)["you_bookmarked"] is False
    liked = [p["own_interaction_state"]["liked"] for p in mine["diaspora"]]
    assert True in liked
    assert not any(p["own_interaction_state"]["liked"] for p in theirs["diaspora"])
    # "other" reposted the original: their repost's flags say so, the viewer's do not.
    repost_row = next(p for p in theirs["adn"] if "repost_of" in p)
    assert repost_row["repost_of"]["you_reposted"] is True
    assert next(p for p in mine["adn"] if "repost_of" in p)["repost_of"]["you_reposted"] is False
    assert mine == read_uncached(api, world["token"])
    assert theirs == read_all(api, world["other_token"])


def test_a_revoked_token_is_refused_on_the_very_next_request(api, world):
    assert read_all(api, world["token"])
    get_access_token_model().objects.get(user=world["viewer"]).revoke()
    for path in (*STREAMS.values(), "/stream/0/config"):
        assert api.get(path, world["token"]).status_code == 401


def test_a_suspended_accounts_token_is_refused_on_the_very_next_request(api, world):
    assert read_all(api, world["token"])
    suspend([world["viewer"].pk])
    for path in (*STREAMS.values(), "/stream/0/config"):
        assert api.get(path, world["token"]).status_code == 401


def test_an_empty_page_asks_the_cache_nothing(api, world, caplog):
    newest = body(api.get(STREAMS["adn"], world["token"]))[0]["pagination_id"]
    caplog.clear()
    assert body(api.get(STREAMS["adn"], world["token"], since_id=newest)) == []
    assert not [r for r in caplog.records if r.name == "adn_api.rendered"]


def test_renderings_made_under_other_settings_are_never_read(api, world, settings):
    """The key carries a digest of the code and of PUBLIC_URL (shown in ``canonical_url``): a
    deployment that renders otherwise starts from an empty cache instead of old shapes."""
    old = read_all(api, world["token"])["adn"][0]["canonical_url"]
    settings.PUBLIC_URL = "https://elsewhere.example"
    code_signature.cache_clear()
    try:
        new = read_all(api, world["token"])["adn"][0]["canonical_url"]
    finally:
        code_signature.cache_clear()
    assert old != new and new.startswith("https://elsewhere.example/")


def test_a_page_read_again_reads_neither_its_posts_nor_the_viewers_relations(
    api, world, monkeypatch, django_assert_num_queries
):
    """A process keeps the renderings and the viewer's relations it used last
    (``core.local_cache``): a page read again costs the token and the page query (and here
    the stream's cut, as the page is short), even with the shared cache unreachable, and still
    follows every change."""
    warm = read_all(api, world["token"])

    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get_many", unreachable)
    monkeypatch.setattr(cache, "set_many", unreachable)
    with django_assert_num_queries(3):
        assert body(api.get(STREAMS["adn"], world["token"])) == warm["adn"]
    assert read_all(api, world["token"]) == warm
    star(world["viewer"], world["original"])
    starred = read_all(api, world["token"])
    original = str(world["original"].pk)
    assert next(p for p in starred["adn"] if p["id"] == original)["num_stars"] == 1
    assert next(p for p in starred["adn"] if p["id"] == original)["you_starred"] is True
    monkeypatch.undo()
    assert starred == read_uncached(api, world["token"])


# Each changes a relation a page shows the viewer (their flags on its posts and authors).
RELATION_CHANGES = {
    "star": lambda world: star(world["viewer"], world["original"]),
    "repost": lambda world: repost(world["viewer"], world["original"]),
    "reply": lambda world: create_post(
        world["viewer"], text="me too", reply_to=world["original"].pk
    ),
    "reply deleted": lambda world: delete_post(
        world["viewer"], Post.objects.get(text="an earlier reply").pk
    ),
    "report": lambda world: report_post(world["viewer"], world["original"]),
    "followed by someone on the page": lambda world: graph.follow(world["other"], world["viewer"]),
    "unfollowed by someone on the page": lambda world: graph.unfollow(
        world["author"], world["viewer"]
    ),
}


@pytest.mark.parametrize("change", RELATION_CHANGES, ids=list(RELATION_CHANGES))
def test_a_change_of_the_viewers_relations_shows_on_the_next_read(api, world, change):
    if change == "unfollowed by someone on the page":
        graph.follow(world["author"], world["viewer"])
    if change == "reply deleted":
        create_post(world["viewer"], text="an earlier reply", reply_to=world["original"].pk)
    assert_fresh_after(api, world, lambda: RELATION_CHANGES[change](world))
