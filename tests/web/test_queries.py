"""Every page costs the same few SQL queries for a page of 5 posts and of 60: the session and its
user, what the URL names (a user, a post, a marker), the page itself (reposts with their
originals and authors joined in), the viewer's relations to it, and the photos on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from files.services.files import create_file
from posts.services.posting import create_post
from posts.services.stars import star
from reposts.services import repost
from users.models import User
from users.services import graph

from ..images import png

pytestmark = pytest.mark.django_db

PAGE_QUERIES = 6
POSTS = 70  # more than the largest page, in every stream below


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The viewer follows a friend who reposts a stranger's posts, each a reply in one thread,
    mentioning the viewer and tagged; the friend posts a photo; the viewer stars some.
    Committed (fan-out runs as each post commits) and removed at the end."""
    with django_db_blocker.unblock():
        viewer, friend, stranger = (
            User.objects.create_user(username=name) for name in ("qviewer", "qfriend", "qstranger")
        )
        graph.follow(viewer, friend)
        root = create_post(friend, text="the root #qtag")
        photo = create_file(friend, type="net.app.test.photo", content=png(), kind="image")
        reference = {"file_id": str(photo.pk), "file_token": photo.file_token, "format": "oembed"}
        create_post(
            friend,
            text="a photo",
            annotations=[
                {"type": "net.app.core.oembed", "value": {"+net.app.core.file": reference}}
            ],
        )
        for i in range(POSTS):
            post = create_post(stranger, text=f"@qviewer news {i} #qtag", reply_to=root.pk)
            repost(friend, post)
            if i % 3 == 0:
                star(viewer, post)
        yield {"viewer": viewer, "root": root}
        User.objects.filter(pk__in=[viewer.pk, friend.pk, stranger.pk]).delete()


PUBLIC = ["/", "/global", "/qfriend", "/qstranger", "/hashtags/qtag", "/qfriend/post/{root}"]
SIGNED_IN = [*PUBLIC, "/home", "/unified", "/interactions", "/messages"]


def queries(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured), response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_every_page_costs_the_same_few_queries_for_any_page_length(world, signed_in):
    client = Client()
    if signed_in:
        client.force_login(world["viewer"])
    for template in SIGNED_IN if signed_in else PUBLIC:
        path = template.format(root=world["root"].pk)
        join = "&" if "?" in path else "?"
        short, short_page = queries(client, f"{path}{join}count=5")
        long, long_page = queries(client, f"{path}{join}count=60")
        assert short == long <= PAGE_QUERIES, (path, short, long)
        if "interactions" not in path and "messages" not in path:
            assert long_page.count('<article class="post') > short_page.count(
                '<article class="post'
            )
