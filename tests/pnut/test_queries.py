"""pnut list endpoints cost a constant number of SQL queries, whatever the page size: the pnut
rendering is reshaped in Python from ``PostPage``'s constant-query context."""

from __future__ import annotations

import pytest

from posts.services.stars import star
from streams.services.fanout import write_rows
from users.services import graph

from ..post_support import busy_timeline, quick_post
from .support import V1, data_of

pytestmark = pytest.mark.django_db

SAMPLES = {"include_bookmarked_by": 1, "include_reposted_by": 1}

# Every post list: the token, the page (posts joined to their users, apps and originals), the
# bookmarked_by and reposted_by samples (one window query each), the viewer's
# relationships, bookmarks and reposts (one UNION), and the users' client counts (pnut's
# counts.clients). Some add one lookup of their own:
POST_LISTS = {
    "posts?ids": 6,
    "posts/streams/global": 7,  # + the viewer's stream marker
    # + the viewer's stream marker, and (a page shorter than asked for, as here) whether the
    # stream was trimmed: streams/services/page.py reads on past the cut
    "posts/streams/me": 8,
    "posts/tag": 6,
    "posts/thread": 7,  # + the post named in the URL
    "users/posts": 7,  # + the user named in the URL
    "users/mentions": 7,  # + the user named in the URL
    "users/bookmarks": 8,  # + the user, and the bookmark page before the posts
}
# the token, the user, the follow page with its users, the relationships, the client counts
FOLLOWERS_QUERIES = 5


def post_list_path(kind: str, posts, users, thread_root) -> str:
    author = users[1]
    return {
        "posts?ids": f"{V1}/posts?ids={','.join(str(p.pk) for p in posts)}",
        "posts/streams/global": f"{V1}/posts/streams/global?count=200",
        "posts/streams/me": f"{V1}/posts/streams/me?count=200",
        "posts/tag": f"{V1}/posts/tag/busy?count=200",
        "posts/thread": f"{V1}/posts/{thread_root.pk}/thread?count=200",
        "users/posts": f"{V1}/users/{author.pk}/posts?count=200",
        "users/mentions": f"{V1}/users/{author.pk}/mentions?count=200",
        "users/bookmarks": f"{V1}/users/{author.pk}/bookmarks?count=200",
    }[kind]


@pytest.mark.parametrize("n", [20, 200])
def test_post_lists_run_a_constant_number_of_queries(
    api, make_user, token_for, django_assert_max_num_queries, n
):
    posts, users = busy_timeline(make_user, n)
    viewer = users[0]
    thread_root = quick_post(users[2], "a long thread")
    for post in posts:
        write_rows([viewer.pk], post.pk)  # the viewer's materialised stream holds them all
        if post.repost_of_id is None and post.user_id != users[1].pk:
            star(users[1], post)  # the author whose bookmarks are listed
    for i in range(n):
        quick_post(users[i % 5], f"reply {i}", reply_to=thread_root.pk)
    token = token_for(viewer)
    for kind, queries in POST_LISTS.items():
        path = post_list_path(kind, posts, users, thread_root)
        with django_assert_max_num_queries(queries):
            data = data_of(api.call("GET", path, token, **SAMPLES))
        assert data, kind  # a real page, not an empty one
        assert all("you_bookmarked" in p for p in data), kind


@pytest.mark.parametrize("n", [20, 200])
def test_followers_runs_a_constant_number_of_queries(
    api, make_user, token_for, django_assert_max_num_queries, n
):
    star_of_the_show = make_user("popular")
    for i in range(n):
        graph.follow(make_user(f"fan{i}"), star_of_the_show)
    token = token_for(make_user("viewer"))
    with django_assert_max_num_queries(FOLLOWERS_QUERIES):
        data = data_of(api.get(f"{V1}/users/{star_of_the_show.pk}/followers", token, count=200))
    assert len(data) == n
