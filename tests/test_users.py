"""Users and the follow graph through the ADN API."""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.db import connection

from users.models import Block, Follow, Mute, User

from .post_support import error, ok


def user_json(api, ident, token=None):
    response = api.get(f"/stream/0/users/{ident}", token)
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_user_is_found_by_id_me_and_username(api, make_user, token_for):
    alice = make_user("Alice")
    token = token_for(alice)
    for ident in (str(alice.pk), "me", "@alice", "@ALICE"):
        data = user_json(api, ident, token)
        assert data["id"] == str(alice.pk)
        assert data["username"] == "Alice"


def test_user_object_has_the_adn_fields(api, make_user):
    data = user_json(api, f"{make_user('alice', name='Alice A.').pk}")
    assert set(data) >= {
        "id",
        "username",
        "name",
        "description",
        "timezone",
        "locale",
        "avatar_image",
        "cover_image",
        "type",
        "created_at",
        "canonical_url",
        "counts",
    }
    assert set(data["counts"]) == {"following", "followers", "posts", "stars"}
    assert data["created_at"].endswith("Z")
    assert data["type"] == "human"
    # The viewer flags only exist for an authenticated viewer.
    assert "you_follow" not in data


def test_me_without_token_is_a_400(api):
    assert api.get("/stream/0/users/me").status_code == 400


@pytest.mark.parametrize(
    "ident", ["abc", "-1", "1.5", "99999999999999999999999", "@bad-name", "@" + "x" * 21]
)
def test_malformed_user_ids_are_400(api, ident):
    response = api.get(f"/stream/0/users/{ident}")
    assert response.status_code == 400
    assert response.json()["meta"]["code"] == 400


def test_unknown_username_is_404(api, db):
    assert api.get("/stream/0/users/@nobody").status_code == 404


def test_many_users_by_ids_keep_the_order_asked(api, make_user):
    make_user("a1")
    b, c = make_user("b1"), make_user("c1")
    response = api.get("/stream/0/users", ids=f"{c.pk},@a1,{b.pk},424242")
    assert [u["username"] for u in response.json()["data"]] == ["c1", "a1", "b1"]


def test_update_profile_changes_name_locale_timezone_and_description(api, make_user, token_for):
    alice = make_user("alice")
    token = token_for(alice)
    response = api.patch(
        "/stream/0/users/me",
        token,
        data={
            "name": "Alice Liddell",
            "locale": "fr_FR",
            "timezone": "Europe/Paris",
            "description": {"text": "Down the rabbit hole <b>"},
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["name"] == "Alice Liddell"
    assert data["locale"] == "fr_FR" and data["timezone"] == "Europe/Paris"
    assert data["description"]["text"] == "Down the rabbit hole <b>"
    assert "<b>" not in data["description"]["html"]
    alice.refresh_from_db()
    assert alice.name == "Alice Liddell"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x" * 51},
        {"timezone": "Mars/Olympus"},
        {"locale": "not a locale!"},
        {"description": {"text": "x" * 257}},
        {"description": {"text": 12}},
        {"name": ["a list"]},
    ],
)
def test_bad_profile_updates_are_400_and_change_nothing(api, make_user, token_for, body):
    alice = make_user("alice", name="Alice")
    response = api.patch("/stream/0/users/me", token_for(alice), data=body)
    assert response.status_code == 400
    assert response.json()["meta"]["error_message"]
    alice.refresh_from_db()
    assert alice.name == "Alice" and alice.timezone == "UTC" and alice.description_text == ""


BLOG = {"type": "net.app.core.directory.blog", "value": {"url": "http://mynewblog.com"}}


def test_put_users_me_with_annotations_as_app_net_documents(api, make_user, token_for):
    """App.net's PUT users/me example: name, locale, timezone, description and annotations,
    answered with the annotations because of include_user_annotations=1."""
    alice = make_user("alice")
    body = {
        "name": "@adnapi has a new name",
        "locale": "en",
        "timezone": "US/Central",
        "description": {"text": "new description"},
        "annotations": [BLOG],
    }
    response = api.put("/stream/0/users/me?include_user_annotations=1", token_for(alice), body)
    data = ok(response)
    assert data["annotations"] == [BLOG]
    assert data["description"]["text"] == "new description"
    # Left out unless asked for, by include_user_annotations or include_annotations.
    assert "annotations" not in ok(api.get(f"/stream/0/users/{alice.pk}"))
    for flag in ("include_user_annotations", "include_annotations"):
        assert ok(api.get(f"/stream/0/users/{alice.pk}", **{flag: 1}))["annotations"] == [BLOG]
    # pnut shows them as raw.
    pnut = ok(api.get(f"/v1/users/{alice.pk}", include_user_raw=1))
    assert pnut["raw"] == {BLOG["type"]: [BLOG["value"]]}


def test_patch_merges_annotations_by_type_and_a_valueless_one_deletes(api, make_user, token_for):
    alice = make_user("alice")
    token = token_for(alice)
    other = {"type": "com.example.colour", "value": {"name": "teal"}}
    ok(api.patch("/stream/0/users/me", token, {"annotations": [BLOG, other]}))
    newer = {"type": BLOG["type"], "value": {"url": "https://blog.example"}}
    data = ok(
        api.patch("/stream/0/users/me?include_annotations=1", token, {"annotations": [newer]})
    )
    assert data["annotations"] == [newer, other]
    body = {"annotations": [{"type": "com.example.colour"}]}
    assert ok(api.patch("/stream/0/users/me?include_annotations=1", token, body))[
        "annotations"
    ] == [newer]
    # Other fields were left alone by PATCH.
    alice.refresh_from_db()
    assert alice.annotations == [newer] and alice.name == ""


@pytest.mark.parametrize(
    "annotations",
    [
        {"type": "not.a.list", "value": {}},
        [{"value": {"no": "type"}}],
        [{"type": "com.example.x", "value": "not an object"}],
        [{"type": "com.example.big", "value": {"text": "x" * 9000}}],
        [{"type": "com.example.cv", "value": {"+net.app.core.file": {"file_id": "1"}}}],
        [
            {
                "type": "com.example.cv",
                "value": {"+net.app.core.file": {"file_id": "1", "file_token": "nope"}},
            }
        ],
    ],
)
def test_bad_user_annotations_are_400_and_change_nothing(api, make_user, token_for, annotations):
    alice = make_user("alice", name="Alice", annotations=[BLOG])
    body = {"name": "Changed", "annotations": annotations}
    error(api.patch("/stream/0/users/me", token_for(alice), body), 400)
    alice.refresh_from_db()
    assert alice.name == "Alice" and alice.annotations == [BLOG]


def test_description_takes_user_specified_links(api, make_user, token_for):
    """App.net's user-specified entities in a description, as in a post: the client's links
    (checked against the text), and markdown links when asked."""
    alice = make_user("alice")
    token = token_for(alice)
    link = {"pos": 0, "len": 4, "url": "https://example.com/me"}
    body = {"description": {"text": "Blog and more", "entities": {"links": [link]}}}
    entities = ok(api.patch("/stream/0/users/me", token, body))["description"]["entities"]
    assert [(e["pos"], e["len"], e["url"]) for e in entities["links"]] == [
        (0, 4, "https://example.com/me")
    ]
    markdown = {"text": "[my blog](https://blog.example)", "entities": {"parse_markdown_links": 1}}
    data = ok(api.patch("/stream/0/users/me", token, {"description": markdown}))
    assert data["description"]["text"] == "my blog [blog.example]"  # App.net's anti-phishing
    assert data["description"]["entities"]["links"][0]["url"] == "https://blog.example"
    assert 'href="https://blog.example"' in data["description"]["html"]
    bad = {"text": "short", "entities": {"links": [{"pos": 3, "len": 40, "url": "https://x.y"}]}}
    error(api.patch("/stream/0/users/me", token, {"name": "No", "description": bad}), 400)
    error(
        api.patch("/stream/0/users/me", token, {"description": {"text": "x", "entities": 5}}), 400
    )
    alice.refresh_from_db()
    assert alice.description_text == "my blog [blog.example]" and alice.name == ""


def test_cannot_update_someone_elses_profile(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    response = api.patch(f"/stream/0/users/{bob.pk}", token_for(alice), data={"name": "Hacked"})
    assert response.status_code == 403
    bob.refresh_from_db()
    assert bob.name == ""


def test_follow_sets_counters_and_flags_both_ways(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    response = api.post(f"/stream/0/users/{bob.pk}/follow", token_for(alice))
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["you_follow"] is True and data["follows_you"] is False
    assert data["counts"]["followers"] == 1
    seen_by_bob = user_json(api, f"{alice.pk}", token_for(bob))
    assert seen_by_bob["follows_you"] is True and seen_by_bob["you_follow"] is False
    assert seen_by_bob["counts"]["following"] == 1


def test_following_twice_keeps_one_follow(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    token = token_for(alice)
    api.post(f"/stream/0/users/{bob.pk}/follow", token)
    data = api.post(f"/stream/0/users/{bob.pk}/follow", token).json()["data"]
    assert data["counts"]["followers"] == 1
    assert Follow.objects.count() == 1


def test_unfollow_restores_counters(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    token = token_for(alice)
    api.post(f"/stream/0/users/{bob.pk}/follow", token)
    data = api.delete(f"/stream/0/users/{bob.pk}/follow", token).json()["data"]
    assert data["you_follow"] is False and data["counts"]["followers"] == 0
    api.delete(f"/stream/0/users/{bob.pk}/follow", token)
    assert User.objects.get(pk=bob.pk).followers_count == 0
    assert User.objects.get(pk=alice.pk).following_count == 0


def test_cannot_follow_yourself(api, make_user, token_for):
    alice = make_user("alice")
    assert api.post(f"/stream/0/users/{alice.pk}/follow", token_for(alice)).status_code == 400
    assert Follow.objects.count() == 0


def test_follow_needs_the_follow_scope(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    response = api.post(f"/stream/0/users/{bob.pk}/follow", token_for(alice, ["basic", "stream"]))
    assert response.status_code == 403
    assert Follow.objects.count() == 0


def test_followers_and_following_lists_and_ids(api, make_user, token_for):
    alice = make_user("alice")
    fans = [make_user(f"fan{i}") for i in range(3)]
    for fan in fans:
        api.post(f"/stream/0/users/{alice.pk}/follow", token_for(fan))
    followers = api.get(f"/stream/0/users/{alice.pk}/followers").json()
    assert [u["username"] for u in followers["data"]] == ["fan2", "fan1", "fan0"]
    assert all("pagination_id" in u for u in followers["data"])
    assert followers["meta"]["more"] is False
    ids = api.get(f"/stream/0/users/{alice.pk}/followers/ids").json()["data"]
    assert ids == [str(f.pk) for f in reversed(fans)]
    following = api.get(f"/stream/0/users/{fans[0].pk}/following").json()["data"]
    assert [u["username"] for u in following] == ["alice"]
    assert api.get(f"/stream/0/users/{fans[0].pk}/following/ids").json()["data"] == [str(alice.pk)]


def test_mute_and_unmute(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    token = token_for(alice)
    assert api.post(f"/stream/0/users/{bob.pk}/mute", token).json()["data"]["you_muted"] is True
    muted = api.get("/stream/0/users/me/muted", token).json()["data"]
    assert [u["username"] for u in muted] == ["bob"]
    assert api.delete(f"/stream/0/users/{bob.pk}/mute", token).json()["data"]["you_muted"] is False
    assert Mute.objects.count() == 0


def test_muted_list_is_private(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    assert api.get(f"/stream/0/users/{alice.pk}/muted", token_for(bob)).status_code == 403


def test_block_removes_follows_both_ways(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    api.post(f"/stream/0/users/{bob.pk}/follow", token_for(alice))
    api.post(f"/stream/0/users/{alice.pk}/follow", token_for(bob))
    data = api.post(f"/stream/0/users/{bob.pk}/block", token_for(alice)).json()["data"]
    assert data["you_blocked"] is True and data["you_follow"] is False
    assert data["follows_you"] is False and data["counts"]["followers"] == 0
    assert Follow.objects.count() == 0
    alice.refresh_from_db()
    assert (alice.followers_count, alice.following_count) == (0, 0)
    blocked = api.get("/stream/0/users/me/blocked", token_for(alice)).json()["data"]
    assert [u["username"] for u in blocked] == ["bob"]


def test_blocked_user_cannot_follow_the_blocker(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    api.post(f"/stream/0/users/{bob.pk}/block", token_for(alice))
    assert api.post(f"/stream/0/users/{alice.pk}/follow", token_for(bob)).status_code == 403
    api.delete(f"/stream/0/users/{bob.pk}/block", token_for(alice))
    assert Block.objects.count() == 0
    assert api.post(f"/stream/0/users/{alice.pk}/follow", token_for(bob)).status_code == 200


def test_search_finds_by_username_prefix_and_name(api, make_user):
    make_user("gandalf", name="The Grey")
    make_user("frodo", name="Ring bearer")
    found = api.get("/stream/0/users/search", q="gan").json()["data"]
    assert [u["username"] for u in found] == ["gandalf"]
    found = api.get("/stream/0/users/search", q="ring").json()["data"]
    assert [u["username"] for u in found] == ["frodo"]
    assert api.get("/stream/0/users/search").status_code == 400


def test_pagination_follows_the_docs_example(api, db):
    # The docs' stream 10…1: before_id=9&since_id=2&count=2 → 8, 7; count=-2 → 4, 3.
    for pk in range(1, 11):
        User.objects.create(pk=pk, username=f"u{pk}")
    page = api.get("/stream/0/users/search", q="u", before_id=9, since_id=2, count=2).json()
    assert [u["id"] for u in page["data"]] == ["8", "7"]
    assert page["meta"] == {"code": 200, "more": True, "max_id": "8", "min_id": "7"}
    page = api.get("/stream/0/users/search", q="u", before_id=9, since_id=2, count=-2).json()
    assert [u["id"] for u in page["data"]] == ["4", "3"]
    assert page["meta"]["more"] is True
    assert (page["meta"]["max_id"], page["meta"]["min_id"]) == ("4", "3")
    page = api.get("/stream/0/users/search", q="u", since_id=8).json()
    assert [u["id"] for u in page["data"]] == ["10", "9"] and page["meta"]["more"] is False


@pytest.mark.parametrize(
    "params",
    [
        {"count": "abc"},
        {"count": "0"},
        {"count": "-0"},
        {"since_id": "abc"},
        {"before_id": "-5"},
        {"since_id": "99999999999999999999"},
        {"since_id": "last_read"},
    ],
)
def test_garbage_pagination_is_400(api, make_user, params):
    alice = make_user("alice")
    response = api.get(f"/stream/0/users/{alice.pk}/followers", **params)
    assert response.status_code == 400
    assert response.json()["meta"]["code"] == 400


@pytest.mark.parametrize("count", [20, 200])
def test_follower_list_queries_do_not_grow_with_page_size(
    api, make_user, token_for, django_assert_max_num_queries, count
):
    star = make_user("star")
    fans = [User(username=f"fan{i}") for i in range(count)]
    User.objects.bulk_create(fans)
    Follow.objects.bulk_create(
        Follow(follower=f, followee=star) for f in User.objects.filter(username__startswith="fan")
    )
    token = token_for(make_user("viewer"))
    # token, the user in the URL, the page, the viewer's relationships to everyone listed
    with django_assert_max_num_queries(4):
        response = api.get(f"/stream/0/users/{star.pk}/followers", token, count=count)
    assert len(response.json()["data"]) == count


@pytest.mark.django_db(transaction=True)
def test_concurrent_follows_make_one_follow(api, make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    token = token_for(alice)

    def follow(_):
        from tests.conftest import Api

        try:
            return Api().post(f"/stream/0/users/{bob.pk}/follow", token).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(follow, range(20)))
    assert statuses == [200] * 20
    assert Follow.objects.filter(follower=alice, followee=bob).count() == 1
    assert User.objects.get(pk=bob.pk).followers_count == 1
    assert User.objects.get(pk=alice.pk).following_count == 1


def test_default_avatar_and_cover_images_are_served(api, make_user):
    data = user_json(api, str(make_user("alice").pk))
    for key in ("avatar_image", "cover_image"):
        assert data[key]["is_default"] is True
        response = api.client.get(urlsplit(data[key]["url"]).path)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
