"""Posts through the ADN API: create, retrieve, delete, replies, annotations, reports."""

from __future__ import annotations

import json

import pytest

from posts.models import Post, PostHashtag, PostMention, Report, Star
from users.models import Mute, User
from users.services import graph

from .post_support import POSTS, busy_timeline, error, new_post, ok, quick_post, snapshot

GEO = {"type": "net.app.core.geolocation", "value": {"latitude": 74.0, "longitude": 40.7}}


# --- creating ---------------------------------------------------------------------------------


def test_json_post_has_entities_html_source_thread_and_canonical_url(
    api, alice, bob, token_for, oauth_app
):
    data = new_post(api, token_for(alice), "hi @bob, see #Django at https://example.com/x")
    assert data["text"] == "hi @bob, see #Django at https://example.com/x"
    assert data["entities"]["mentions"] == [
        {"name": "bob", "id": str(bob.pk), "pos": 3, "len": 4, "is_leading": False}
    ]
    assert [(h["name"], h["pos"], h["len"]) for h in data["entities"]["hashtags"]] == [
        ("Django", 13, 7)
    ]
    assert [(x["url"], x["pos"], x["len"]) for x in data["entities"]["links"]] == [
        ("https://example.com/x", 24, 21)
    ]
    assert f'data-mention-id="{bob.pk}"' in data["html"]
    assert '<a href="https://example.com/x">' in data["html"]
    assert data["source"] == {
        "name": "Test app",
        "link": "https://client.example.com",
        "client_id": oauth_app.client_id,
    }
    assert data["reply_to"] is None
    assert data["thread_id"] == data["id"]
    assert data["canonical_url"].endswith(f"/alice/post/{data['id']}")
    assert data["created_at"].endswith("Z")
    assert (data["num_replies"], data["num_stars"], data["num_reposts"]) == (0, 0, 0)
    assert data["machine_only"] is False and "is_deleted" not in data
    assert data["you_starred"] is False and data["you_reposted"] is False
    assert data["user"]["counts"]["posts"] == 1
    # Indexed for the mention and tag streams.
    assert PostMention.objects.filter(post_id=data["id"], user=bob).exists()
    assert list(PostHashtag.objects.filter(post_id=data["id"]).values_list("name", flat=True)) == [
        "django"
    ]


def test_form_encoded_post_works_like_json(api, alice, token_for):
    response = api.call(
        "POST", POSTS, token_for(alice), data={"text": "from a form"}, as_json=False
    )
    data = ok(response)
    assert data["text"] == "from a form"
    assert Post.objects.get(pk=data["id"]).text == "from a form"


def test_html_escapes_markup_in_text(api, alice, token_for):
    data = new_post(api, token_for(alice), "<script>alert(1)</script> & co")
    assert "<script>" not in data["html"]
    assert "&lt;script&gt;" in data["html"]


@pytest.mark.parametrize("char", ["a", "😀", "文"])
def test_text_of_256_code_points_is_accepted(api, alice, token_for, char):
    data = new_post(api, token_for(alice), char * 256)
    assert len(data["text"]) == 256


@pytest.mark.parametrize("char", ["a", "😀"])
def test_text_of_257_code_points_is_refused_and_nothing_is_saved(api, alice, token_for, char):
    before = snapshot()
    message = error(api.post(POSTS, token_for(alice), data={"text": char * 257}), 400)
    assert "257" in message and "256" in message
    assert snapshot() == before


def test_markdown_links_count_only_their_anchor_text(api, alice, token_for):
    url = "https://example.com/" + "x" * 300
    data = new_post(
        api, token_for(alice), f"[read this]({url})", entities={"parse_markdown_links": True}
    )
    assert data["text"].startswith("read this")
    assert data["entities"]["links"][0]["url"] == url


def test_user_supplied_link_with_post_id_template_is_filled_in_entities_and_html(
    api, alice, token_for
):
    data = new_post(
        api,
        token_for(alice),
        "permalink here",
        entities={"links": [{"pos": 0, "len": 9, "url": "https://example.com/p/{post_id}"}]},
    )
    url = f"https://example.com/p/{data['id']}"
    assert data["entities"]["links"][0]["url"] == url
    assert f'href="{url}"' in data["html"]
    assert "{post_id}" not in data["html"]


def test_post_without_write_post_scope_is_403(api, alice, token_for):
    before = snapshot()
    error(api.post(POSTS, token_for(alice, ["basic", "stream"]), data={"text": "x"}), 403)
    assert snapshot() == before


def test_post_without_token_is_401(api, db):
    error(api.post(POSTS, None, data={"text": "x"}), 401)
    assert Post.objects.count() == 0


# --- annotations and machine-only posts ---------------------------------------------------------


def test_annotations_are_stored_and_shown_only_when_asked(api, alice, token_for):
    token = token_for(alice)
    created = new_post(api, token, "where I am", annotations=[GEO])
    assert "annotations" not in created
    assert Post.objects.get(pk=created["id"]).annotations == [GEO]
    plain = ok(api.get(f"{POSTS}/{created['id']}", token))
    assert "annotations" not in plain
    for param in ("include_annotations", "include_post_annotations"):
        shown = ok(api.get(f"{POSTS}/{created['id']}", token, **{param: 1}))
        assert shown["annotations"] == [GEO]
    # Only user annotations asked for: the user object gets them, the post does not.
    users_only = ok(api.get(f"{POSTS}/{created['id']}", token, include_user_annotations=1))
    assert "annotations" not in users_only and users_only["user"]["annotations"] == []


def test_annotations_of_exactly_8192_bytes_are_accepted_and_one_more_is_not(api, alice, token_for):
    token = token_for(alice)
    # [{"type":"t","value":{"k":"…"}}] is 31 bytes around the string; "é" is 2 bytes in UTF-8
    # (and 6 as a \u escape: counting escapes would refuse this).
    fits = [{"type": "t", "value": {"k": "é" * 4080 + "x"}}]
    assert len(json.dumps(fits, separators=(",", ":"), ensure_ascii=False).encode()) == 8192
    ok(api.post(POSTS, token, data={"text": "big", "annotations": fits}))
    before = snapshot()
    too_big = [{"type": "t", "value": {"k": "é" * 4081}}]
    assert "8192" in error(
        api.post(POSTS, token, data={"text": "big", "annotations": too_big}), 400
    )
    assert snapshot() == before


def test_machine_only_post_needs_annotations_has_no_text_and_is_hidden_unless_asked(
    api, alice, bob, token_for
):
    token = token_for(alice)
    machine = ok(api.post(POSTS, token, data={"machine_only": True, "annotations": [GEO]}))
    assert machine["machine_only"] is True and machine["text"] == ""
    human = new_post(api, token, "for people")
    ids = f"{machine['id']},{human['id']}"
    assert [p["id"] for p in ok(api.get(POSTS, token, ids=ids))] == [human["id"]]
    assert [p["id"] for p in ok(api.get(POSTS, token, ids=ids, include_machine=1))] == [
        machine["id"],
        human["id"],
    ]
    # Asked for by its own id, it is there.
    assert ok(api.get(f"{POSTS}/{machine['id']}", token))["id"] == machine["id"]


# --- bad input ----------------------------------------------------------------------------------

BAD_BODIES = {
    "empty text": {"text": ""},
    "blank text": {"text": "   \n "},
    "no text at all": {},
    "null text": {"text": None},
    "text not a string": {"text": 12},
    "text with NUL": {"text": "a\u0000b"},
    "machine_only without annotations": {"machine_only": True},
    "machine_only with empty annotations": {"machine_only": True, "annotations": []},
    "machine_only with text": {"machine_only": True, "text": "hi", "annotations": [GEO]},
    "machine_only not a boolean": {"machine_only": "maybe", "annotations": [GEO]},
    "annotations not a list": {"text": "x", "annotations": GEO},
    "annotation not an object": {"text": "x", "annotations": ["geo"]},
    "annotation missing type": {"text": "x", "annotations": [{"value": {}}]},
    "annotation type not a string": {"text": "x", "annotations": [{"type": 4, "value": {}}]},
    "annotation value not an object": {"text": "x", "annotations": [{"type": "t", "value": "v"}]},
    "annotation value a list": {"text": "x", "annotations": [{"type": "t", "value": [1]}]},
    "annotation value missing": {"text": "x", "annotations": [{"type": "t"}]},
    "annotation with a NUL": {"text": "x", "annotations": [{"type": "t", "value": {"k": "\0"}}]},
    "annotations over 8192 bytes": {
        "text": "x",
        "annotations": [{"type": "t", "value": {"k": "x" * 8200}}],
    },
    "reply_to not a number": {"text": "x", "reply_to": "abc"},
    "reply_to negative": {"text": "x", "reply_to": "-3"},
    "reply_to beyond 64 bits": {"text": "x", "reply_to": "99999999999999999999999"},
    "reply_to unknown": {"text": "x", "reply_to": "987654321"},
    "reply_to an object": {"text": "x", "reply_to": {"id": 1}},
    "entities not an object": {"text": "x", "entities": ["links"]},
    "entities.links not a list": {"text": "x", "entities": {"links": "http://a.com"}},
    "link outside the text": {
        "text": "x",
        "entities": {"links": [{"pos": 0, "len": 5, "url": "https://example.com"}]},
    },
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_post_bodies_are_400_and_save_nothing(api, alice, token_for, body):
    token = token_for(alice)
    quick_post(alice, "an existing post")
    before = snapshot()
    error(api.post(POSTS, token, data=body), 400)
    assert snapshot() == before


@pytest.mark.parametrize("body", [[{"text": "in a list"}], "just a string", 42])
def test_json_body_that_is_not_an_object_is_400(api, alice, token_for, body):
    before = snapshot()
    assert "JSON object" in error(api.post(POSTS, token_for(alice), data=body), 400)
    assert snapshot() == before


def test_malformed_json_is_400(api, alice, token_for):
    response = api.client.post(
        POSTS,
        data='{"text": "unterminated',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(alice)}",
    )
    error(response, 400)
    assert Post.objects.count() == 0


def test_reply_to_a_deleted_post_is_refused(api, alice, bob, token_for):
    parent = quick_post(bob, "soon gone")
    ok(api.delete(f"{POSTS}/{parent.pk}", token_for(bob)))
    before = snapshot()
    assert "deleted" in error(
        api.post(POSTS, token_for(alice), data={"text": "late", "reply_to": str(parent.pk)}), 400
    )
    assert snapshot() == before


@pytest.mark.parametrize("ident", ["abc", "-1", "1.5", "99999999999999999999999", "١٢"])
def test_malformed_post_ids_are_400_everywhere(api, alice, token_for, ident):
    token = token_for(alice)
    quick_post(alice)
    before = snapshot()
    for method, path in [
        ("GET", f"{POSTS}/{ident}"),
        ("DELETE", f"{POSTS}/{ident}"),
        ("GET", f"{POSTS}/{ident}/replies"),
        ("POST", f"{POSTS}/{ident}/star"),
        ("POST", f"{POSTS}/{ident}/repost"),
        ("POST", f"{POSTS}/{ident}/report"),
        ("GET", POSTS + f"?ids=1,{ident}"),
    ]:
        message = error(api.call(method, path, token), 400)
        assert "id" in message, (method, path)
    assert snapshot() == before


def test_unknown_post_is_404(api, alice, token_for):
    token = token_for(alice)
    for method, path in [
        ("GET", f"{POSTS}/424242"),
        ("DELETE", f"{POSTS}/424242"),
        ("GET", f"{POSTS}/424242/replies"),
        ("POST", f"{POSTS}/424242/star"),
        ("POST", f"{POSTS}/424242/report"),
    ]:
        error(api.call(method, path, token), 404)


def test_more_than_200_ids_is_400(api, db):
    ids = ",".join(str(i) for i in range(1, 202))
    assert "200" in error(api.get(POSTS, ids=ids), 400)


def test_retrieve_many_without_ids_is_400(api, db):
    assert "ids" in error(api.get(POSTS), 400)


# --- retrieving ---------------------------------------------------------------------------------


def test_retrieve_one_post_without_a_token(api, alice):
    post = quick_post(alice, "public words")
    data = ok(api.get(f"{POSTS}/{post.pk}"))
    assert data["id"] == str(post.pk) and data["text"] == "public words"
    assert "you_starred" not in data and "you_reposted" not in data


def test_retrieve_many_keeps_the_order_asked_and_skips_unknown_ids(api, alice, bob):
    a, b = quick_post(alice, "a"), quick_post(bob, "b")
    data = ok(api.get(POSTS, ids=f"{b.pk},424242,{a.pk},{b.pk}"))
    assert [p["id"] for p in data] == [str(b.pk), str(a.pk)]


def test_include_html_0_leaves_html_out(api, alice):
    post = quick_post(alice, "no html please")
    assert "html" in ok(api.get(f"{POSTS}/{post.pk}"))
    data = ok(api.get(f"{POSTS}/{post.pk}", include_html=0))
    assert "html" not in data and "html" not in data["user"]["description"]
    assert data["text"] == "no html please"


def test_retrieve_many_honours_include_deleted_and_include_muted(
    api, alice, bob, make_user, token_for
):
    carol = make_user("carol")
    carol_token = token_for(carol)
    kept, gone, muted = quick_post(alice, "kept"), quick_post(alice, "gone"), quick_post(bob)
    ok(api.delete(f"{POSTS}/{gone.pk}", token_for(alice)))
    graph.mute(carol, bob)
    ids = f"{kept.pk},{gone.pk},{muted.pk}"

    def listed(**params):
        return [p["id"] for p in ok(api.get(POSTS, carol_token, ids=ids, **params))]

    assert listed() == [str(kept.pk), str(gone.pk)]  # deleted posts included by default
    assert listed(include_deleted=0) == [str(kept.pk)]
    assert listed(include_muted=1) == [str(kept.pk), str(gone.pk), str(muted.pk)]
    # Someone who muted nobody sees bob's post.
    assert str(muted.pk) in [p["id"] for p in ok(api.get(POSTS, ids=ids))]


# Token, the page, the starrers and reposters samples (one window query each), the viewer's
# relationships, stars and reposts (one UNION): whatever the page size.
RETRIEVE_MANY_QUERIES = 5
THREAD_QUERIES = 6  # the same, plus reading the post named in the URL


@pytest.mark.parametrize("n", [20, 200])
def test_retrieve_many_runs_a_constant_number_of_queries(
    api, make_user, token_for, django_assert_max_num_queries, n
):
    posts, users = busy_timeline(make_user, n)
    token = token_for(users[0])
    ids = ",".join(str(p.pk) for p in posts)
    with django_assert_max_num_queries(RETRIEVE_MANY_QUERIES):
        data = ok(api.get(POSTS, token, ids=ids, include_starred_by=1, include_reposters=1))
    assert len(data) == n
    reposts = [p for p in data if "repost_of" in p]
    assert len(reposts) == n // 4
    assert all(p["repost_of"]["reposters"] for p in reposts)
    assert sum(len(p["starred_by"]) for p in data) == (n + 1) // 2
    viewer = users[0]
    starred = {str(i) for i in Star.objects.filter(user=viewer).values_list("post_id", flat=True)}
    reposted = {
        str(i)
        for i in Post.objects.filter(user=viewer, repost_of__isnull=False).values_list(
            "repost_of_id", flat=True
        )
    }
    assert starred and reposted
    assert {p["id"] for p in data if p["you_starred"]} == starred & {p["id"] for p in data}
    assert {p["id"] for p in data if p["you_reposted"]} == reposted & {p["id"] for p in data}
    with django_assert_max_num_queries(RETRIEVE_MANY_QUERIES - 2):
        ok(api.get(POSTS, token, ids=ids))


@pytest.mark.parametrize("n", [20, 200])
def test_thread_runs_a_constant_number_of_queries(
    api, make_user, token_for, django_assert_max_num_queries, n
):
    from posts.services.stars import star
    from reposts.services import repost

    users = [make_user(f"talker{i}") for i in range(4)]
    root = quick_post(users[0], "root")
    thread = [root]
    for i in range(1, n):
        author = users[i % 4]
        thread.append(quick_post(author, f"reply {i}", reply_to=thread[(i - 1) // 2].pk))
        if i % 3 == 0:
            star(users[(i + 1) % 4], thread[-1])
        if i % 5 == 0:
            repost(users[(i + 2) % 4], thread[-1])
    token = token_for(users[0])
    with django_assert_max_num_queries(THREAD_QUERIES):
        data = ok(
            api.get(
                f"{POSTS}/{thread[-1].pk}/replies",
                token,
                count=200,
                include_starred_by=1,
                include_reposters=1,
            )
        )
    assert [int(p["id"]) for p in data] == [p.pk for p in reversed(thread)]
    assert sum(p["num_stars"] for p in data) == sum(len(p["starred_by"]) for p in data) > 0
    assert sum(p["num_reposts"] for p in data) == sum(len(p["reposters"]) for p in data) > 0


# --- deleting -----------------------------------------------------------------------------------


def test_author_deletes_a_post_and_gets_the_tombstone(api, alice, bob, token_for):
    token = token_for(alice)
    post = new_post(api, token, "@bob regrettable #words https://example.com")
    data = ok(api.delete(f"{POSTS}/{post['id']}", token))
    assert data["id"] == post["id"] and data["is_deleted"] is True
    assert "text" not in data and "html" not in data
    assert data["entities"] == {"mentions": [], "hashtags": [], "links": []}
    assert data["user"]["counts"]["posts"] == 0
    assert User.objects.get(pk=alice.pk).posts_count == 0
    assert not PostMention.objects.filter(post_id=post["id"]).exists()
    assert not PostHashtag.objects.filter(post_id=post["id"]).exists()
    # Still retrievable as deleted, unless deleted posts are left out.
    again = ok(api.get(f"{POSTS}/{post['id']}"))
    assert again["is_deleted"] is True and "text" not in again
    error(api.get(f"{POSTS}/{post['id']}", include_deleted=0), 404)


def test_deleting_someone_elses_post_is_403_and_changes_nothing(api, alice, bob, token_for):
    post = quick_post(alice, "mine")
    before = snapshot()
    error(api.delete(f"{POSTS}/{post.pk}", token_for(bob)), 403)
    assert snapshot() == before


def test_deleting_twice_is_404_and_counts_once(api, alice, token_for):
    token = token_for(alice)
    quick_post(alice, "stays")
    post = quick_post(alice, "goes")
    ok(api.delete(f"{POSTS}/{post.pk}", token))
    before = snapshot()
    error(api.delete(f"{POSTS}/{post.pk}", token), 404)
    assert snapshot() == before
    assert User.objects.get(pk=alice.pk).posts_count == 1


def test_delete_needs_write_post_scope(api, alice, token_for):
    post = quick_post(alice)
    error(api.delete(f"{POSTS}/{post.pk}", token_for(alice, ["basic"])), 403)
    assert not Post.objects.get(pk=post.pk).is_deleted


# --- replies ------------------------------------------------------------------------------------


def test_replies_share_the_thread_and_count_exactly(api, alice, bob, token_for):
    root = new_post(api, token_for(alice), "root")
    reply = new_post(api, token_for(bob), "@alice reply", reply_to=root["id"])
    nested = new_post(api, token_for(alice), "nested", reply_to=int(reply["id"]))
    assert reply["reply_to"] == root["id"] and reply["thread_id"] == root["id"]
    assert nested["reply_to"] == reply["id"] and nested["thread_id"] == root["id"]
    assert ok(api.get(f"{POSTS}/{root['id']}"))["num_replies"] == 1
    assert ok(api.get(f"{POSTS}/{reply['id']}"))["num_replies"] == 1
    second = new_post(api, token_for(bob), "again", reply_to=root["id"])
    assert ok(api.get(f"{POSTS}/{root['id']}"))["num_replies"] == 2
    ok(api.delete(f"{POSTS}/{second['id']}", token_for(bob)))
    assert ok(api.get(f"{POSTS}/{root['id']}"))["num_replies"] == 1
    assert User.objects.get(pk=bob.pk).posts_count == 1
    assert User.objects.get(pk=alice.pk).posts_count == 2


def test_replies_endpoint_returns_the_whole_thread_newest_first_from_any_post(
    api, alice, bob, token_for
):
    root = quick_post(alice, "root")
    r1 = quick_post(bob, "r1", reply_to=root.pk)
    r2 = quick_post(alice, "r2", reply_to=r1.pk)
    quick_post(bob, "elsewhere")
    expected = [str(r2.pk), str(r1.pk), str(root.pk)]
    for start in (root, r1, r2):
        response = api.get(f"{POSTS}/{start.pk}/replies")
        assert [p["id"] for p in ok(response)] == expected
    page = api.get(f"{POSTS}/{root.pk}/replies", count=2)
    assert [p["id"] for p in ok(page)] == expected[:2]
    meta = page.json()["meta"]
    assert meta["more"] is True and meta["min_id"] == str(r1.pk) and meta["max_id"] == str(r2.pk)
    rest = ok(api.get(f"{POSTS}/{root.pk}/replies", before_id=meta["min_id"]))
    assert [p["id"] for p in rest] == [str(root.pk)]
    assert all("pagination_id" in p for p in ok(response))


def test_replies_honour_include_deleted_machine_and_muted(api, alice, bob, make_user, token_for):
    carol = make_user("carol")
    root = quick_post(alice, "root")
    gone = quick_post(alice, "gone", reply_to=root.pk)
    ok(api.delete(f"{POSTS}/{gone.pk}", token_for(alice)))
    machine = quick_post(alice, "", reply_to=root.pk, machine_only=True, annotations=[GEO])
    by_bob = quick_post(bob, "bob's", reply_to=root.pk)
    Mute.objects.create(muter=carol, muted=bob)
    token = token_for(carol)

    def thread(**params):
        return {int(p["id"]) for p in ok(api.get(f"{POSTS}/{root.pk}/replies", token, **params))}

    assert thread() == {root.pk, gone.pk}
    assert thread(include_deleted=0) == {root.pk}
    assert thread(include_machine=1) == {root.pk, gone.pk, machine.pk}
    assert thread(include_muted=1) == {root.pk, gone.pk, by_bob.pk}


def test_a_user_blocked_by_the_author_cannot_reply(api, alice, bob, token_for):
    post = quick_post(alice, "no replies from bob")
    graph.block(alice, bob)
    before = snapshot()
    error(api.post(POSTS, token_for(bob), data={"text": "hey", "reply_to": post.pk}), 403)
    assert snapshot() == before


# --- reports ------------------------------------------------------------------------------------


def test_report_is_stored_once_and_mutes_the_author(api, alice, bob, token_for):
    post = quick_post(alice, "spam spam spam")
    token = token_for(bob)
    data = ok(api.post(f"{POSTS}/{post.pk}/report", token, data={"reason": "spam"}))
    assert data["id"] == str(post.pk)
    assert data["user"]["you_muted"] is True
    report = Report.objects.get()
    assert (report.post_id, report.reporter_id, report.reason, report.status) == (
        post.pk,
        bob.pk,
        "spam",
        "open",
    )
    ok(api.post(f"{POSTS}/{post.pk}/report", token))  # a second report is accepted quietly
    assert Report.objects.count() == 1


def test_reporting_a_repost_reports_its_original(api, alice, bob, make_user, token_for):
    from reposts.services import repost

    carol = make_user("carol")
    original = quick_post(alice, "the content")
    the_repost, _ = repost(bob, original)
    data = ok(api.post(f"{POSTS}/{the_repost.pk}/report", token_for(carol)))
    assert data["id"] == str(original.pk)
    assert list(Report.objects.values_list("post_id", "reporter_id")) == [(original.pk, carol.pk)]
    assert Mute.objects.filter(muter=carol, muted=alice).exists()


def test_reporting_your_own_post_stores_the_report_without_muting(api, alice, token_for):
    post = quick_post(alice)
    ok(api.post(f"{POSTS}/{post.pk}/report", token_for(alice)))
    assert Report.objects.filter(post=post, reporter=alice).exists()
    assert not Mute.objects.exists()


def test_report_needs_a_user_token(api, alice):
    post = quick_post(alice)
    error(api.post(f"{POSTS}/{post.pk}/report"), 401)
    assert not Report.objects.exists()
