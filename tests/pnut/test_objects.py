"""pnut's objects as its docs spell them: posts, users, the token, the text processor, and the
general ``include_*`` parameters."""

from __future__ import annotations

import pytest

from posts.models import Post
from users.models import User

from .support import (
    V1,
    assert_post_shape,
    assert_user_shape,
    data_of,
    error_of,
    meta_of,
)

pytestmark = pytest.mark.django_db

RICH_TEXT = "@bob come to #Pnut_Meetup at https://pnut.io"


def create(api, token, text="hello pnut", status=201, **fields):
    return data_of(api.post(f"{V1}/posts", token, data={"text": text, **fields}), status)


def test_a_new_post_is_201_with_pnut_fields_and_no_adn_ones(api, alice, bob, tokens, oauth_app):
    post = create(api, tokens["alice"], RICH_TEXT)
    assert_post_shape(post, viewer=True)
    assert post["content"]["text"] == RICH_TEXT
    assert post["thread_id"] == post["id"]
    assert post["source"] == {
        "id": oauth_app.client_id,
        "url": "https://client.example.com",
        "name": "Test app",
    }
    assert post["counts"] == {"bookmarks": 0, "replies": 0, "reposts": 0, "threads": 0}
    assert post["you_bookmarked"] is False and post["you_reposted"] is False
    entities = post["content"]["entities"]
    assert entities["mentions"] == [
        {"id": str(bob.pk), "text": "bob", "pos": 0, "len": 4, "is_leading": True}
    ]
    assert entities["tags"] == [{"text": "Pnut_Meetup", "pos": 13, "len": 12}]
    assert entities["links"] == [
        {"url": "https://pnut.io", "text": "https://pnut.io", "pos": 29, "len": 15}
    ]
    assert post["user"]["username"] == "alice"


def test_post_html_uses_pnuts_schema_and_tag_markup(api, alice, bob, tokens):
    html = create(api, tokens["alice"], RICH_TEXT)["content"]["html"]
    assert html.startswith('<span itemscope="https://pnut.io/schemas/Post">')
    assert 'itemprop="tag"' in html and 'data-tag-name="Pnut_Meetup"' in html
    assert 'itemprop="mention"' in html and f'data-mention-id="{bob.pk}"' in html
    assert '<a href="https://pnut.io">' in html
    assert "hashtag" not in html and "app.net" not in html


def test_text_that_looks_like_markup_stays_escaped_text(api, alice, tokens):
    text = 'itemprop="hashtag" data-hashtag-name="x" <b>'
    post = create(api, tokens["alice"], text)
    assert post["content"]["text"] == text
    html = post["content"]["html"]
    assert "<b>" not in html and 'itemprop="tag"' not in html
    assert "itemprop=&quot;hashtag&quot;" in html


def test_anonymous_readers_get_no_viewer_flags(api, alice, tokens):
    post = create(api, tokens["alice"])
    read = data_of(api.get(f"{V1}/posts/{post['id']}"))
    assert_post_shape(read, viewer=False)


def test_a_reply_names_its_parent_and_thread(api, alice, bob, tokens):
    parent = create(api, tokens["alice"])
    reply = create(api, tokens["bob"], "@alice a reply", reply_to=parent["id"])
    assert_post_shape(reply, viewer=True, extra={"reply_to"})
    assert reply["reply_to"] == parent["id"] and reply["thread_id"] == parent["id"]
    assert data_of(api.get(f"{V1}/posts/{parent['id']}"))["counts"]["replies"] == 1
    thread = data_of(api.get(f"{V1}/posts/{parent['id']}/thread"))
    assert [p["id"] for p in thread] == [reply["id"], parent["id"]]


def test_a_post_can_be_created_from_a_form(api, alice, tokens):
    response = api.call(
        "POST",
        f"{V1}/posts",
        tokens["alice"],
        {"text": "from a form", "is_nsfw": "1"},
        as_json=False,
    )
    post = data_of(response, 201)
    assert post["content"]["text"] == "from a form" and post["is_nsfw"] is True


def test_a_deleted_post_has_is_deleted_and_no_content(api, alice, tokens):
    post = create(api, tokens["alice"])
    deleted = data_of(api.delete(f"{V1}/posts/{post['id']}", tokens["alice"]))
    assert_post_shape(deleted, viewer=True, extra={"is_deleted"})
    assert deleted["is_deleted"] is True and "content" not in deleted
    again = data_of(api.get(f"{V1}/posts/{post['id']}"))
    assert again["is_deleted"] is True and "content" not in again
    error_of(api.get(f"{V1}/posts/{post['id']}", include_deleted=0), 404)


def test_is_nsfw_only_appears_when_true(api, alice, tokens):
    nsfw = create(api, tokens["alice"], "careful", is_nsfw=True)
    plain = create(api, tokens["alice"], "fine")
    assert nsfw["is_nsfw"] is True
    assert "is_nsfw" not in plain and "is_revised" not in plain and "is_deleted" not in plain


def test_raw_is_stored_and_shown_when_asked_in_both_dialects(api, alice, tokens):
    raw = {"io.pnut.core.language": [{"language": "en"}]}
    post = create(api, tokens["alice"], "with raw", raw=raw)
    assert "raw" not in post
    assert data_of(api.get(f"{V1}/posts/{post['id']}", include_raw=1))["raw"] == raw
    assert data_of(api.get(f"{V1}/posts/{post['id']}", include_post_raw=1))["raw"] == raw
    adn = api.get(f"/stream/0/posts/{post['id']}", include_annotations=1).json()["data"]
    assert adn["annotations"] == [{"type": "io.pnut.core.language", "value": {"language": "en"}}]


def test_markdown_links_are_parsed_by_default_as_pnut_does(api, alice, tokens):
    post = create(api, tokens["alice"], "see [the site](https://example.com/a)")
    assert post["content"]["text"] == "see the site [example.com]"
    (link,) = post["content"]["entities"]["links"]
    assert link == {
        "url": "https://example.com/a",
        "text": "the site",
        "pos": 4,
        "len": 8,
        "amended_len": 22,
    }
    kept = create(
        api,
        tokens["alice"],
        "see [x](https://example.com)",
        entities={"parse_markdown_links": False},
    )
    assert kept["content"]["text"] == "see [x](https://example.com)"


def test_user_object_has_pnut_fields(api, alice, bob, tokens):
    assert data_of(api.put(f"{V1}/users/{alice.pk}/follow", tokens["bob"]))["you_follow"] is True
    create(api, tokens["alice"])
    profile = {"description": {"text": "I like #pnut"}}
    assert api.patch("/stream/0/users/me", tokens["alice"], data=profile).status_code == 200
    user = data_of(api.get(f"{V1}/users/@alice", tokens["bob"]))
    assert_user_shape(user, viewer=True)
    assert user["id"] == str(alice.pk) and user["username"] == "alice"
    assert user["counts"] == {
        "bookmarks": 0,
        "clients": 0,
        "followers": 1,
        "following": 0,
        "posts": 1,
    }
    assert (user["you_follow"], user["follows_you"], user["you_can_follow"]) == (True, False, True)
    assert user["content"]["avatar_image"]["is_default"] is True
    assert user["content"]["text"] == "I like #pnut"
    assert user["content"]["entities"]["tags"] == [{"text": "pnut", "pos": 7, "len": 5}]
    assert user["content"]["html"].startswith('<span itemscope="https://pnut.io/schemas/Post">')
    assert 'data-tag-name="pnut"' in user["content"]["html"]
    me = data_of(api.get(f"{V1}/users/me", tokens["alice"]))
    assert me["id"] == str(alice.pk) and me["you_can_follow"] is False  # not oneself
    assert_user_shape(data_of(api.get(f"{V1}/users/{alice.pk}")), viewer=False)


def test_token_object_has_app_scopes_and_user(api, alice, token_for, oauth_app):
    token = token_for(alice, ["basic", "stream", "write_post"])
    response = api.get(f"{V1}/token", token)
    data = data_of(response)
    assert data["app"] == {
        "id": oauth_app.client_id,
        "url": "https://client.example.com",
        "name": "Test app",
    }
    assert data["scopes"] == ["basic", "stream", "write_post"]
    assert_user_shape(data["user"], viewer=True)
    assert response["X-OAuth-Scopes"] == "basic,stream,write_post"


def test_granted_scopes_are_in_a_header_on_authenticated_responses_only(api, alice, tokens):
    post = create(api, tokens["alice"])
    authenticated = api.get(f"{V1}/posts/{post['id']}", tokens["alice"])
    assert authenticated["X-OAuth-Scopes"].split(",") == sorted(
        authenticated["X-OAuth-Scopes"].split(",")
    )
    assert "write_post" in authenticated["X-OAuth-Scopes"].split(",")
    assert "X-OAuth-Scopes" not in api.get(f"{V1}/posts/{post['id']}")


def test_include_parameters_trim_or_extend_objects(api, alice, bob, tokens):
    post = create(api, tokens["alice"])
    data_of(api.put(f"{V1}/posts/{post['id']}/bookmark", tokens["bob"]))
    path = f"{V1}/posts/{post['id']}"
    bare = data_of(api.get(path, include_counts=0, include_client=0, include_html=0))
    assert "counts" not in bare and "counts" not in bare["user"]
    assert bare["source"] == post["source"]["id"]  # include_client=0: the client's id only
    assert "html" not in bare["content"] and "html" not in bare["user"]["content"]
    no_post_html = data_of(api.get(path, include_post_html=0))
    assert "html" not in no_post_html["content"] and "html" in no_post_html["user"]["content"]
    without_user = data_of(api.get(path, include_user=0))  # pnut 1.x: user_id, no user
    assert "user" not in without_user and without_user["user_id"] == str(alice.pk)
    sampled = data_of(api.get(path, include_bookmarked_by=1, include_reposted_by=1))
    assert [u["username"] for u in sampled["bookmarked_by"]] == ["bob"]
    assert sampled["reposted_by"] == []


@pytest.mark.parametrize(
    "path",
    ["/posts/streams/global", "/posts/search?q=hello", "/posts/streams/explore/conversations"],
)
def test_include_user_0_on_a_signed_in_page_of_cached_posts(api, alice, bob, tokens, path):
    post = create(api, tokens["alice"])
    create(api, tokens["bob"], text="hello back", reply_to=post["id"])
    for _ in range(2):  # rendered, then from the rendered-post cache
        page = data_of(api.get(f"{V1}{path}", tokens["bob"], include_user=0))
        assert page and all("user" not in p and p["user_id"] for p in page)
        assert {p["id"]: p["you_bookmarked"] for p in page} == {p["id"]: False for p in page}


def test_pretty_json_on_request(api, alice, tokens):
    post = create(api, tokens["alice"])
    pretty = api.call("GET", f"{V1}/posts/{post['id']}", headers={"X-Pretty-JSON": "1"})
    assert pretty.content.decode().startswith('{\n    "meta": {') and pretty.content.endswith(b"\n")
    compact = api.get(f"{V1}/posts/{post['id']}").content.decode()
    assert "\n" not in compact and compact.startswith('{"meta":{"code":200}')


def test_text_processor_renders_without_saving(api, alice, bob, tokens):
    before = Post.objects.count()
    data = data_of(api.post(f"{V1}/text/process", tokens["alice"], data={"text": RICH_TEXT}))
    # pnut 1.0: "The entities are now placed within an entities field" (changes/1.0.0.md).
    assert set(data) == {"text", "html", "entities"}
    assert data["text"] == RICH_TEXT
    assert data["entities"]["mentions"][0]["id"] == str(bob.pk)
    assert data["entities"]["tags"] == [{"text": "Pnut_Meetup", "pos": 13, "len": 12}]
    assert data["html"].startswith('<span itemscope="https://pnut.io/schemas/Post">')
    assert Post.objects.count() == before
    markdown = {"text": "[site](https://example.com)"}
    processed = data_of(api.post(f"{V1}/text/process", tokens["alice"], data=markdown))
    assert processed["text"] == "site [example.com]"  # markdown is parsed by default in pnut
    error_of(api.post(f"{V1}/text/process", tokens["alice"], data={"text": "x" * 257}), 400)
    error_of(api.post(f"{V1}/text/process", tokens["alice"], data={"txt": "typo"}), 400)
    error_of(api.post(f"{V1}/text/process", data={"text": "no token"}), 401)


def test_both_tag_paths_match_ignoring_case_and_underscores(api, alice, tokens):
    tagged = create(api, tokens["alice"], "#Pnut_Meetup tonight")
    create(api, tokens["alice"], "#other")
    for path in ("posts/tags/pnut_meetup", "posts/tag/PnutMeetup", "posts/tag/PNUT_MEETUP"):
        assert [p["id"] for p in data_of(api.get(f"{V1}/{path}"))] == [tagged["id"]], path


def test_global_stream_has_only_human_accounts(api, make_user, token_for, alice, tokens):
    feed = make_user("newsfeed", type=User.Type.FEED)
    human = create(api, tokens["alice"], "by a person")
    by_feed = create(api, token_for(feed), "by a feed")
    pnut_ids = [p["id"] for p in data_of(api.get(f"{V1}/posts/streams/global"))]
    assert pnut_ids == [human["id"]]
    # App.net's global stream only leaves out bots: the dialects differ on purpose.
    adn_ids = [p["id"] for p in api.get("/stream/0/posts/stream/global").json()["data"]]
    assert adn_ids == [by_feed["id"], human["id"]]


def test_user_streams_and_lists(api, alice, bob, carol, tokens):
    first = create(api, tokens["alice"], "first")
    mention = create(api, tokens["bob"], "hi @alice")
    data_of(api.put(f"{V1}/posts/{first['id']}/bookmark", tokens["carol"]))
    data_of(api.put(f"{V1}/users/{alice.pk}/follow", tokens["bob"]))
    data_of(api.put(f"{V1}/users/{alice.pk}/follow", tokens["carol"]))
    assert [p["id"] for p in data_of(api.get(f"{V1}/users/{alice.pk}/posts"))] == [first["id"]]
    mentions = data_of(api.get(f"{V1}/users/me/mentions", tokens["alice"]))
    assert [p["id"] for p in mentions] == [mention["id"]]
    bookmarks = data_of(api.get(f"{V1}/users/{carol.pk}/bookmarks", tokens["carol"]))
    assert [p["id"] for p in bookmarks] == [first["id"]]
    assert bookmarks[0]["you_bookmarked"] is True
    followers = data_of(api.get(f"{V1}/users/{alice.pk}/followers"))
    assert [u["username"] for u in followers] == ["carol", "bob"]
    assert all("pagination_id" in u for u in followers)
    following = data_of(api.get(f"{V1}/users/{bob.pk}/following"))
    assert [u["username"] for u in following] == ["alice"]
    page = meta_of(api.get(f"{V1}/users/{alice.pk}/followers", count=1))
    assert page["more"] is True and page["min_id"] == page["max_id"]


def test_follow_mute_and_block_are_put_and_delete(api, alice, bob, tokens):
    path = f"{V1}/users/{alice.pk}"
    assert data_of(api.put(f"{path}/follow", tokens["bob"]))["you_follow"] is True
    assert data_of(api.delete(f"{path}/follow", tokens["bob"]))["you_follow"] is False
    assert data_of(api.put(f"{path}/mute", tokens["bob"]))["you_muted"] is True
    assert data_of(api.delete(f"{path}/mute", tokens["bob"]))["you_muted"] is False
    blocked = data_of(api.put(f"{path}/block", tokens["bob"]))
    assert blocked["you_blocked"] is True and blocked["you_can_follow"] is False
    assert data_of(api.delete(f"{path}/block", tokens["bob"]))["you_blocked"] is False
