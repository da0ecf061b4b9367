"""diaspora lists page with ``per_page`` (default 15, at most 100) and a ``Link`` header, and
cost the same number of queries whatever the page size."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from posts.models import Post, Star
from posts.services.reports import report_post
from posts.services.stars import star
from reposts.services import repost
from tests.post_support import quick_post

from .support import API, comment_on, ok

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')
# The token, the post by guid and the page; comments add the viewer context (one UNION: stars,
# reports, relationships) and the mentioned people.
COMMENTS_QUERIES = 5
RESHARES_QUERIES = 3
LIKES_QUERIES = 3


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(response.get("Link", ""))}


def relative(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def many_comments(alice, make_user):
    """A post with 40 comments by three people."""
    post = quick_post(alice)
    people = [alice, make_user("bob"), make_user("carol")]
    replies = [comment_on(post, people[i % 3], f"comment {i}") for i in range(40)]
    return post, replies


def test_fifteen_per_page_by_default_then_following_next_walks_every_comment_once(
    api, many_comments
):
    post, replies = many_comments
    response = api.get(f"{API}/posts/{post.guid}/comments")
    page = ok(response)
    assert len(page) == 15
    assert "previous" not in links(response)
    seen = [c["guid"] for c in page]
    while "next" in links(response):
        response = api.get(relative(links(response)["next"]))
        page = ok(response)
        assert "previous" in links(response)
        seen += [c["guid"] for c in page]
    assert seen == [r.guid for r in replies]


def test_previous_leads_back_to_the_page_before(api, many_comments):
    post, replies = many_comments
    first = api.get(f"{API}/posts/{post.guid}/comments?per_page=10")
    second = api.get(relative(links(first)["next"]))
    back = api.get(relative(links(second)["previous"]))
    assert [c["guid"] for c in ok(back)] == [c["guid"] for c in ok(first)]
    assert "next" in links(back) and "previous" not in links(back)


def test_links_keep_per_page_and_point_at_the_same_list(api, many_comments):
    post, _ = many_comments
    response = api.get(f"{API}/posts/{post.guid}/comments?per_page=7")
    url = urlsplit(links(response)["next"])
    assert url.path == f"{API}/posts/{post.guid}/comments"
    assert parse_qs(url.query)["per_page"] == ["7"]


def test_per_page_is_clamped_to_100_and_page_numbers_work(api, alice):
    post = quick_post(alice)
    for i in range(101):
        Post.objects.create(user=alice, text=f"r{i}", reply_to=post, thread_id=post.pk)
    assert len(ok(api.get(f"{API}/posts/{post.guid}/comments?per_page=500"))) == 100
    assert len(ok(api.get(f"{API}/posts/{post.guid}/comments?per_page=0"))) == 1
    second = ok(api.get(f"{API}/posts/{post.guid}/comments?per_page=100&page=2"))
    assert [c["body"] for c in second] == ["r100"]


def test_the_last_page_has_no_next(api, many_comments):
    post, _ = many_comments
    response = api.get(f"{API}/posts/{post.guid}/comments?per_page=40")
    assert len(ok(response)) == 40 and "next" not in links(response)


@pytest.mark.parametrize("per_page", [15, 100])
def test_the_comments_list_costs_the_same_queries_at_any_page_size(
    api, alice, make_user, token_for, django_assert_max_num_queries, per_page
):
    post = quick_post(alice)
    people = [make_user(f"user{i}") for i in range(5)]
    for i in range(per_page):
        author = people[i % 5]
        reply = comment_on(post, author, f"thanks @alice and @{people[(i + 1) % 5].username}")
        star(people[(i + 2) % 5], reply)
        if i % 3 == 0:
            report_post(alice, reply, "spam")
    token = token_for(alice)
    with django_assert_max_num_queries(COMMENTS_QUERIES):
        page = ok(api.get(f"{API}/posts/{post.guid}/comments?per_page={per_page}", token))
    assert len(page) == per_page
    assert all(len(c["mentioned_people"]) == 2 for c in page)
    assert sum(c["reported"] for c in page) == len(range(0, per_page, 3))


@pytest.mark.parametrize("per_page", [15, 100])
def test_the_reshares_list_costs_the_same_queries_at_any_page_size(
    api, alice, make_user, token_for, django_assert_max_num_queries, per_page
):
    post = quick_post(alice)
    for i in range(per_page):
        repost(make_user(f"user{i}"), post)
    token = token_for(alice)
    with django_assert_max_num_queries(RESHARES_QUERIES):
        page = ok(api.get(f"{API}/posts/{post.guid}/reshares?per_page={per_page}", token))
    assert len(page) == per_page


@pytest.mark.parametrize("per_page", [15, 100])
def test_the_likes_list_costs_the_same_queries_at_any_page_size(
    api, alice, make_user, token_for, django_assert_max_num_queries, per_page
):
    post = quick_post(alice)
    Star.objects.bulk_create([Star(user=make_user(f"user{i}"), post=post) for i in range(per_page)])
    token = token_for(alice)
    with django_assert_max_num_queries(LIKES_QUERIES):
        page = ok(api.get(f"{API}/posts/{post.guid}/likes?per_page={per_page}", token))
    assert len(page) == per_page
