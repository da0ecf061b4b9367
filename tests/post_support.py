"""Helpers shared by the post, star and repost tests."""

from __future__ import annotations

from posts.models import Post, Report, Star
from posts.services.posting import create_post, delete_post
from users.models import User
from users.services import graph

POSTS = "/stream/0/posts"


def ok(response) -> dict | list:
    """The ``data`` of a 200 response (failing with the body otherwise)."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["meta"]["code"] == 200
    return body["data"]


def error(response, code: int) -> str:
    """The error message of an enveloped ``code`` response."""
    assert response.status_code == code, response.content
    body = response.json()
    assert "data" not in body
    assert body["meta"]["code"] == code
    message = body["meta"]["error_message"]
    assert isinstance(message, str) and message
    return message


def new_post(api, token: str, text: str = "hello world", **fields) -> dict:
    return ok(api.post(POSTS, token, data={"text": text, **fields}))


def quick_post(user: User, text: str = "a post", **fields) -> Post:
    """A post made through the service, for tests that need many of them."""
    return create_post(user, text=text, **fields)


def snapshot() -> dict:
    """Row counts and every counter, to show that a refused request changed nothing."""
    return {
        "posts": list(
            Post.objects.order_by("id").values_list(
                "id", "is_deleted", "num_replies", "num_stars", "num_reposts", "text"
            )
        ),
        "users": list(User.objects.order_by("id").values_list("id", "posts_count", "stars_count")),
        "stars": Star.objects.count(),
        "reports": Report.objects.count(),
    }


def busy_timeline(make_user, n: int) -> tuple[list[Post], list[User]]:
    """``n`` posts by several authors: originals (some replies), reposts of them by others, and
    stars on many, so a page exercises every part of the rendering (embedded originals, samples,
    viewer flags). Returns the posts, newest last, and the authors."""
    from posts.services.stars import star
    from reposts.services import repost

    users = [make_user(f"author{i}") for i in range(5)]
    posts: list[Post] = []
    originals: list[Post] = []
    for i in range(n):
        author = users[i % len(users)]
        if i % 4 == 3:
            original = next(o for o in reversed(originals) if o.user_id != author.pk)
            post, _ = repost(author, original)
        else:
            reply_to = originals[-1].pk if originals and i % 4 == 2 else None
            mention = users[(i + 1) % len(users)].username
            post = quick_post(author, f"post {i} for @{mention} #busy", reply_to=reply_to)
            originals.append(post)
        posts.append(post)
        if i % 2 == 0:
            star(users[(i + 2) % len(users)], post.original)
    return posts, users


def assert_counters_match_rows() -> None:
    """Every denormalised counter equals the rows it counts."""
    from django.db.models import Count, Q

    for post in Post.objects.annotate(
        reply_rows=Count("replies", filter=Q(replies__is_deleted=False), distinct=True),
        star_rows=Count("stars", distinct=True),
        repost_rows=Count("reposts", distinct=True),
    ):
        assert (post.num_replies, post.num_stars, post.num_reposts) == (
            post.reply_rows,
            post.star_rows,
            post.repost_rows,
        ), f"post {post.pk}"
    for user in User.objects.annotate(
        live_posts=Count("posts", filter=Q(posts__is_deleted=False), distinct=True),
        star_rows=Count("stars", distinct=True),
    ):
        assert (user.posts_count, user.stars_count) == (user.live_posts, user.star_rows), user


# Why a list leaves a post or an interaction out: the table the visibility tests share.
REASONS = ["blocked", "blocked_by", "muted", "suspended", "deleted", "machine_only"]


def hide(reason: str, viewer: User, other: User, post: Post) -> None:
    """Make ``post`` (by ``other``) one ``viewer`` should no longer see, for ``reason``."""
    if reason == "blocked":
        graph.block(viewer, other)
    elif reason == "blocked_by":
        graph.block(other, viewer)
    elif reason == "muted":
        graph.mute(viewer, other)
    elif reason == "suspended":
        User.objects.filter(pk=other.pk).update(is_active=False)
    elif reason == "deleted":
        delete_post(post.user, post.pk)
