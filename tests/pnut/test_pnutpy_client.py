"""The real pnut client library, pnutpy, against the server running in gunicorn.

The server shares this test's database, so the test commits for real. Its fan-out runs in the
web process (``TEST_CELERY_EAGER=1``): this test is about the protocol a client sees; the worker's
fan-out is tested in tests/test_fanout.py.
"""

from __future__ import annotations

import pnutpy
import pytest
from pnutpy.errors import PnutAuthAPIException, PnutBadRequestAPIException, PnutMissing

from ..processes import web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_pnutpy_posts_reposts_reads_streams_and_bookmarks(make_user, token_for):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    with web_server(TEST_CELERY_EAGER="1") as base:

        def client(user=None) -> pnutpy.API:
            token = token_for(user) if user is not None else None
            return pnutpy.API.build_api(api_root=f"{base}/v1", access_token=token)

        as_alice, as_bob, as_carol = client(alice), client(bob), client(carol)

        followed, meta = as_carol.follow_user(bob.pk)
        assert followed.you_follow is True and followed.username == "bob"
        as_bob.follow_user("@alice")

        post, meta = as_alice.create_post(data={"text": "hello from pnutpy #pnutpy"})
        assert meta.code == 201
        assert isinstance(post, pnutpy.Post) and isinstance(post.id, int)
        assert post.content.text == "hello from pnutpy #pnutpy"
        assert post.content.entities.tags[0].text == "pnutpy"
        assert post.user.username == "alice" and post.user.id == alice.pk

        reposted, meta = as_bob.repost_post(post.id)
        assert meta.code == 201
        assert reposted.id == post.id  # the acted-on original, not the repost
        assert reposted.you_reposted is True and reposted.counts.reposts == 1

        # bob's own stream: his repost, then alice's post; carol follows only bob.
        bobs, meta = as_bob.users_post_streams_me()
        assert [p.repost_of.id if p.get("repost_of") else p.id for p in bobs] == [
            post.id,
            post.id,
        ]
        carols, _ = as_carol.users_post_streams_me()
        (shared,) = carols
        assert shared.user.username == "bob" and shared.repost_of.id == post.id
        assert isinstance(shared.repost_of, pnutpy.Post)
        unified, _ = as_carol.users_post_streams_unified()
        assert [p.id for p in unified] == [shared.id]

        everyone, meta = client().posts_streams_global()
        assert [p.id for p in everyone] == [post.id]  # no reposts in the global stream
        assert meta.more is False and meta.max_id == str(post.id)
        tagged, _ = client().posts_with_hashtag("PnutPy")
        assert [p.id for p in tagged] == [post.id]

        bookmarked, meta = as_carol.bookmark_post(shared.id)  # acts on the original
        assert bookmarked.id == post.id and bookmarked.you_bookmarked is True
        assert bookmarked.counts.bookmarks == 1
        carols_bookmarks, _ = as_carol.users_bookmarked_posts("me")
        assert [p.id for p in carols_bookmarks] == [post.id]

        unreposted, meta = as_bob.unrepost_post(post.id)
        assert meta.code == 200
        assert unreposted.id == post.id and unreposted.you_reposted is False
        assert unreposted.counts.reposts == 0
        carols, _ = as_carol.users_post_streams_me()
        assert carols == []

        token, _ = as_bob.get_token()
        assert token.user.username == "bob" and "write_post" in token.scopes

        with pytest.raises(PnutBadRequestAPIException):
            as_alice.repost_post(post.id)  # one's own post
        with pytest.raises(PnutMissing):
            as_bob.get_post(999_999_999)
        with pytest.raises(PnutAuthAPIException):
            client().repost_post(post.id)


def test_pnutpy_updates_and_patches_the_profile(make_user, token_for):
    alice = make_user("alice")
    with web_server() as base:
        api = pnutpy.API.build_api(api_root=f"{base}/v1", access_token=token_for(alice))

        replaced, meta = api.update_user(
            "me",
            data={
                "name": "Alice",
                "content": {"text": "hello #pnutpy"},
                "timezone": "Europe/Paris",
                "locale": "fr_FR",
            },
        )
        assert meta.code == 200 and isinstance(replaced, pnutpy.User)
        assert (replaced.name, replaced.timezone, replaced.locale) == (
            "Alice",
            "Europe/Paris",
            "fr_FR",
        )
        assert replaced.content.text == "hello #pnutpy"
        assert replaced.content.entities.tags[0].text == "pnutpy"

        patched, meta = api.patch_user("me", data={"name": "Eric", "timezone": "UTC"})
        assert meta.code == 200
        assert (patched.name, patched.timezone, patched.locale) == ("Eric", "UTC", "fr_FR")
        assert patched.content.text == "hello #pnutpy"

        # pnutpy's model saves itself: the whole user it read goes back as the body.
        me, _ = api.get_user("me")
        me.content.text = "saved by the model"
        me.update_user()
        reread, _ = api.get_user("me")
        assert reread.content.text == "saved by the model" and reread.name == "Eric"

        with pytest.raises(PnutBadRequestAPIException):
            api.patch_user("me", data={"timezone": "Mars/Olympus"})
        with pytest.raises(PnutBadRequestAPIException):
            api.update_user("me", data={"name": "no locale"})
        assert api.get_user("me")[0].timezone == "UTC"
