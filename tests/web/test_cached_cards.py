"""A page's cards are kept under the versions of the rows they show (``web/cached.py``): whatever
changes those rows shows on the very next page, and what no version covers (the time in words,
the viewer's own part, a photo's file) is never served from the cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.timesince import timesince

from files.services.files import create_file, update_file
from posts.services.posting import create_post, delete_post
from posts.services.revisions import revise_post
from posts.services.stars import star
from users.models import User
from users.services.moderation import suspend
from users.services.profile import update_profile
from web.rendering import when

from ..images import png

pytestmark = pytest.mark.django_db


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_edit_a_star_and_a_new_profile_show_on_the_next_page(client, alice, bob):
    root = create_post(alice, text="the first words #kept")
    create_post(bob, text="@alice a reply", reply_to=root.pk)
    paths = [f"/alice/post/{root.pk}", "/alice", "/bob", "/global"]
    first = {path: page(client, path) for path in paths}
    assert "the first words" in first[paths[0]] and "a reply" in first[paths[0]]
    assert {path: page(client, path) for path in paths} == first  # as kept
    revise_post(alice, root.pk, text="the second words #kept")
    star(bob, root)
    update_profile(bob, {"name": "Bob Renamed"}, replace=False)
    thread = page(client, paths[0])
    assert "the second words" in thread and "the first words" not in thread
    assert "Bob Renamed" in thread
    assert '<span class="act static" title="Stars">★ 1</span>' in thread
    assert "the second words" in page(client, "/alice")
    assert "Bob Renamed" in page(client, "/bob")


def test_a_deletion_and_a_suspension_show_at_once(client, alice, bob):
    root = create_post(alice, text="the root")
    reply = create_post(bob, text="@alice bob's reply", reply_to=root.pk)
    path = f"/alice/post/{root.pk}"
    assert "bob&#x27;s reply" in page(client, path)
    delete_post(bob, reply.pk)
    thread = page(client, path)
    assert "bob&#x27;s reply" not in thread and "This post was deleted." in thread
    suspend([bob.pk])
    assert "This post was deleted." not in page(client, path)
    delete_post(alice, root.pk)
    assert client.get(path).status_code == 410


def test_the_time_in_words_is_never_kept(client, alice, monkeypatch):
    post = create_post(alice, text="a moment")
    path = f"/alice/post/{post.pk}"
    assert "just now" in page(client, path)
    later = timezone.now() + timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "5\xa0minutes ago" in page(client, path)  # timesince's no-break space


def test_the_viewers_part_is_their_own(client, alice, bob):
    post = create_post(alice, text="to be starred")
    path = f"/alice/post/{post.pk}"
    page(client, path)  # kept as a visitor saw it
    star(bob, post)
    starred = page(signed_in(bob), path)
    assert 'aria-pressed="true">★ <span class="label">Starred</span>' in starred
    assert "csrfmiddlewaretoken" in starred
    assert "Delete this post" in page(signed_in(alice), path)
    assert "Delete this post" not in starred


def test_a_photo_is_shown_as_its_file_is_now(client, alice):
    photo = create_file(alice, type="net.app.test.photo", content=png(), kind="image", name="a")
    reference = {"file_id": str(photo.pk), "file_token": photo.file_token, "format": "oembed"}
    annotations = [{"type": "net.app.core.oembed", "value": {"+net.app.core.file": reference}}]
    post = create_post(alice, text="a photo", annotations=annotations)
    path = f"/alice/post/{post.pk}"
    assert 'alt="a"' in page(client, path)
    update_file(alice, photo, name="renamed")
    for _ in range(2):  # the page seen before, and again
        assert 'alt="renamed"' in page(client, path)


def test_a_replys_page_and_a_first_posts_page_each_time(client, alice, bob):
    """A post's page begins as its thread's first post's (one query); a reply's, found not to
    be, looks it up: the same page however often and in whichever order it is asked for."""
    root = create_post(alice, text="the first post")
    reply = create_post(bob, text="@alice the reply", reply_to=root.pk)
    later = create_post(alice, text="@bob a later reply", reply_to=reply.pk)
    earlier = f'<a class="button ghost" href="/alice/post/{root.pk}">↑ Earlier in this conversation'
    for _ in range(2):
        first = page(client, f"/alice/post/{root.pk}")
        assert "↑ Earlier" not in first and "the reply" in first
        second = page(client, f"/bob/post/{reply.pk}")
        assert earlier in second and "a later reply" in second and "the first post" not in second
        assert client.get(f"/alice/post/{reply.pk}")["Location"] == f"/bob/post/{reply.pk}"
        assert f'href="/bob/post/{reply.pk}">↑ Earlier' in page(client, f"/alice/post/{later.pk}")
        assert client.get(f"/alice/post/{later.pk + 1000}").status_code == 404


def test_without_the_cache_every_card_is_written(client, alice, monkeypatch, caplog):
    root = create_post(alice, text="the first post")
    create_post(alice, text="@alice a reply", reply_to=root.pk)
    path = f"/alice/post/{root.pk}"
    kept = page(client, path)

    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    for name in ("get", "get_many", "set_many"):
        monkeypatch.setattr(cache, name, down)
    assert page(client, path) == kept
    assert "web card cache unreachable" in caplog.text


@pytest.mark.parametrize("seconds", [0, 59.9, 60, 61, 119.5, 3599.99, 3600, 7261, 86399.9, 86400])
def test_the_time_in_words_is_timesinces(monkeypatch, seconds):
    now = datetime(2026, 3, 1, 0, 30, tzinfo=UTC)  # a day back is another month
    moment = now - timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: now)
    if seconds < 60:
        expected = "just now"
    elif seconds < 86400:
        expected = f"{timesince(moment, now).split(',')[0]} ago"
    else:
        expected = "28 Feb 2026"
    assert when(moment) == expected
