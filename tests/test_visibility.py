"""One visibility rule for posts, on every read path, in every dialect.

``TABLE`` pins, for each visibility rule (a block either way, a repost of a blocker's post, a
mute, a suspension, a deletion, machine-only and directed posts) and each read path of the ADN
(``/stream/0/``), pnut (``/v1/``) and diaspora (``/api/v1/``) dialects, what the viewer gets:
the subject ``"present"`` in the response, ``"absent"`` from it (a 200 without it), or ``"404"``.
The subject is a post, or, on the user-list paths (starrers, reposters, their samples, search),
the user who starred and reposted someone else's post; a rule about "the author" is then about
that user.

Every absent/404 cell first reads its positive control: the same request, by the same viewer,
shows the subject while the rule is not in force (read before the rule is applied; for the rules
in force from the post's creation, a twin post the rule does not touch), so no cell passes on a
path that is simply empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from posts.models import Post
from posts.services.posting import create_post, delete_post
from posts.services.stars import star
from reposts.services import repost
from users.models import User
from users.services.graph import block, follow, mute
from users.services.moderation import suspend

from .security.support import assert_dialect_error

if TYPE_CHECKING:
    from django.http import HttpResponse

    from .conftest import Api

PRESENT, ABSENT, NOT_FOUND = "present", "absent", "404"
Picker = Callable[["HttpResponse"], dict[str, dict]]  # the ids in a response, with their objects
TAG = "vistag"
RENDERERS = {"adn": "ADNRenderer", "pnut": "PnutRenderer", "diaspora": "DiasporaRenderer"}


# --- reading responses: the ids in them, each with its object --------------------------------


def keyed_by_id(data: dict | list) -> dict[str, dict]:
    """ADN and pnut objects (posts, users) by ``id``; ``data`` is one object or a list."""
    return {item["id"]: item for item in (data if isinstance(data, list) else [data])}


def adn_data(response: HttpResponse) -> dict | list:
    body = response.json()
    assert set(body) == {"data", "meta"}, body
    return body["data"]


def pnut_data(response: HttpResponse) -> dict | list:
    body = response.json()
    assert list(body) == ["meta", "data"], body  # pnut's order
    return body["data"]


def diaspora_body(response: HttpResponse) -> list[dict]:
    body = response.json()
    assert not (isinstance(body, dict) and "meta" in body), body  # bare JSON
    return body if isinstance(body, list) else [body]


def adn_ids(response: HttpResponse) -> dict[str, dict]:
    return keyed_by_id(adn_data(response))


def pnut_ids(response: HttpResponse) -> dict[str, dict]:
    return keyed_by_id(pnut_data(response))


def adn_sample(key: str) -> Picker:
    """The users of a post's sample (``starred_by``, ``reposters``)."""
    return lambda response: keyed_by_id(adn_data(response)[key])


def pnut_sample(key: str) -> Picker:
    return lambda response: keyed_by_id(pnut_data(response)[key])


def diaspora_guids(response: HttpResponse) -> dict[str, dict]:
    """Posts and comments by ``guid``."""
    return {item["guid"]: item for item in diaspora_body(response)}


def diaspora_authors(response: HttpResponse) -> dict[str, dict]:
    """Likes and reshares by their author's ``guid``."""
    return {item["author"]["guid"]: item for item in diaspora_body(response)}


# --- read paths ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """A GET whose URL is formatted with the world's ids; ``target`` names the id looked for
    and ``actor`` the user a rule about "the author" is applied to."""

    url: str
    pick: Picker
    target: str = "subject"
    actor: str = "author"
    stream: bool = False  # rows written by the fan-out on commit: needs the transactional db
    signed_in_only: bool = False


def _user_list(url: str, pick: Picker, target: str = "fan") -> Read:
    """A list of users: the subject is the fan, who starred and reposted ``root`` (other's)."""
    return Read(url, pick, target=target, actor="fan")


A, P, D = "/stream/0", "/v1", "/api/v1"
READS: dict[str, Read] = {
    # ADN
    "adn-by_id": Read(A + "/posts/{subject}", adn_ids),
    "adn-ids": Read(A + "/posts?ids={subject}", adn_ids),
    "adn-thread": Read(A + "/posts/{root}/replies", adn_ids),  # the subject replies to root
    "adn-replies_of_post": Read(A + "/posts/{subject}/replies", adn_ids, target="comment"),
    "adn-starrers_of_post": Read(A + "/posts/{subject}/stars", adn_ids, target="fan"),
    "adn-reposters_of_post": Read(A + "/posts/{subject}/reposters", adn_ids, target="fan"),
    "adn-user_posts": Read(A + "/users/{poster}/posts", adn_ids),
    "adn-mentions": Read(A + "/users/{viewer}/mentions", adn_ids, signed_in_only=True),
    "adn-tag": Read(A + f"/posts/tag/{TAG}", adn_ids),
    "adn-global": Read(A + "/posts/stream/global", adn_ids),
    "adn-personal": Read(A + "/posts/stream", adn_ids, stream=True, signed_in_only=True),
    "adn-unified": Read(A + "/posts/stream/unified", adn_ids, stream=True, signed_in_only=True),
    "adn-user_stars": Read(A + "/users/{fan}/stars", adn_ids),
    "adn-starrers": _user_list(A + "/posts/{root}/stars", adn_ids),
    "adn-reposters": _user_list(A + "/posts/{root}/reposters", adn_ids),
    "adn-starred_by_sample": _user_list(
        A + "/posts/{root}?include_starred_by=1", adn_sample("starred_by")
    ),
    "adn-reposters_sample": _user_list(
        A + "/posts/{root}?include_reposters=1", adn_sample("reposters")
    ),
    "adn-search": _user_list(A + "/users/search?q={fan_username}", adn_ids),
    # pnut
    "pnut-by_id": Read(P + "/posts/{subject}", pnut_ids),
    "pnut-ids": Read(P + "/posts?ids={subject}", pnut_ids),
    "pnut-thread": Read(P + "/posts/{root}/thread", pnut_ids),
    "pnut-replies_of_post": Read(P + "/posts/{subject}/thread", pnut_ids, target="comment"),
    "pnut-user_posts": Read(P + "/users/{poster}/posts", pnut_ids),
    "pnut-mentions": Read(P + "/users/{viewer}/mentions", pnut_ids, signed_in_only=True),
    "pnut-tag": Read(P + f"/posts/tags/{TAG}", pnut_ids),
    "pnut-global": Read(P + "/posts/streams/global", pnut_ids),
    "pnut-personal": Read(P + "/posts/streams/me", pnut_ids, stream=True, signed_in_only=True),
    "pnut-unified": Read(P + "/posts/streams/unified", pnut_ids, stream=True, signed_in_only=True),
    "pnut-user_stars": Read(P + "/users/{fan}/bookmarks", pnut_ids),
    "pnut-bookmarked_by_sample": _user_list(
        P + "/posts/{root}?include_bookmarked_by=1", pnut_sample("bookmarked_by")
    ),
    "pnut-reposted_by_sample": _user_list(
        P + "/posts/{root}?include_reposted_by=1", pnut_sample("reposted_by")
    ),
    # diaspora: posts by guid; a comment is a direct reply
    "diaspora-by_id": Read(D + "/posts/{subject_guid}", diaspora_guids, target="subject_guid"),
    "diaspora-thread": Read(
        D + "/posts/{root_guid}/comments", diaspora_guids, target="subject_guid"
    ),
    "diaspora-replies_of_post": Read(
        D + "/posts/{subject_guid}/comments", diaspora_guids, target="comment_guid"
    ),
    "diaspora-starrers_of_post": Read(
        D + "/posts/{subject_guid}/likes", diaspora_authors, target="fan_guid"
    ),
    "diaspora-reposters_of_post": Read(
        D + "/posts/{subject_guid}/reshares", diaspora_authors, target="fan_guid"
    ),
    "diaspora-starrers": _user_list(D + "/posts/{root_guid}/likes", diaspora_authors, "fan_guid"),
    "diaspora-reposters": _user_list(
        D + "/posts/{root_guid}/reshares", diaspora_authors, "fan_guid"
    ),
}


# --- rules ----------------------------------------------------------------------------------------

Users = dict[str, User]


@dataclass(frozen=True)
class Rule:
    """``apply(users, subject, actor)`` puts the rule in force after the control was read;
    None: in force from the subject's creation (the control reads a twin post). ``params`` go
    on every read; ``subject`` says which post the world makes the subject."""

    apply: Callable[[Users, Post, User], object] | None = None
    params: dict = field(default_factory=dict)
    subject: str = "reply"  # "reply", "machine", "directed" or "repost"
    signed_in: bool = True


def _deleted(users: Users, post: Post, actor: User) -> object:
    return delete_post(actor, post.pk)


RULES: dict[str, Rule] = {
    "author_blocks_viewer": Rule(lambda users, post, actor: block(actor, users["viewer"])),
    "viewer_blocks_author": Rule(lambda users, post, actor: block(users["viewer"], actor)),
    # the subject is fan's repost (the viewer follows fan) of a post whose author then blocks them
    "repost_of_blocked": Rule(
        lambda users, post, actor: block(actor, users["viewer"]), subject="repost"
    ),
    "muted_author": Rule(lambda users, post, actor: mute(users["viewer"], actor)),
    "muted_author+include_muted": Rule(
        lambda users, post, actor: mute(users["viewer"], actor), params={"include_muted": 1}
    ),
    "suspended_author": Rule(lambda users, post, actor: suspend([actor.pk])),
    "suspended_author+signed_out": Rule(
        lambda users, post, actor: suspend([actor.pk]), signed_in=False
    ),
    "deleted": Rule(_deleted),
    "deleted+include_deleted_0": Rule(_deleted, params={"include_deleted": 0}),
    "machine_only": Rule(subject="machine"),
    "machine_only+include_machine": Rule(subject="machine", params={"include_machine": 1}),
    # the subject starts with a mention of a stranger (the viewer follows its author, not them)
    "directed": Rule(subject="directed"),
    "directed+include_directed_posts": Rule(
        subject="directed", params={"include_directed_posts": 1}
    ),
}


# --- the table: rule -> {dialect-path: expected} ------------------------------------------------

BLOCKED = {
    "adn-by_id": NOT_FOUND,
    "adn-ids": ABSENT,
    "adn-thread": ABSENT,
    "adn-replies_of_post": NOT_FOUND,
    "adn-starrers_of_post": NOT_FOUND,
    "adn-reposters_of_post": NOT_FOUND,
    "adn-user_posts": ABSENT,
    "adn-mentions": ABSENT,
    "adn-tag": ABSENT,
    "adn-global": ABSENT,
    "adn-personal": ABSENT,
    "adn-unified": ABSENT,
    "adn-user_stars": ABSENT,
    "adn-starrers": ABSENT,
    "adn-reposters": ABSENT,
    "adn-starred_by_sample": ABSENT,
    "adn-reposters_sample": ABSENT,
    "adn-search": ABSENT,
    "pnut-by_id": NOT_FOUND,
    "pnut-ids": ABSENT,
    "pnut-thread": ABSENT,
    "pnut-replies_of_post": NOT_FOUND,
    "pnut-user_posts": ABSENT,
    "pnut-mentions": ABSENT,
    "pnut-tag": ABSENT,
    "pnut-global": ABSENT,
    "pnut-personal": ABSENT,
    "pnut-unified": ABSENT,
    "pnut-user_stars": ABSENT,
    "pnut-bookmarked_by_sample": ABSENT,
    "pnut-reposted_by_sample": ABSENT,
    "diaspora-by_id": NOT_FOUND,
    "diaspora-thread": ABSENT,
    "diaspora-replies_of_post": NOT_FOUND,
    "diaspora-starrers_of_post": NOT_FOUND,
    "diaspora-reposters_of_post": NOT_FOUND,
    "diaspora-starrers": ABSENT,
    "diaspora-reposters": ABSENT,
}

# As a block, except that the suspended author's own posts list is gone with them (404).
SUSPENDED = {**BLOCKED, "adn-user_posts": NOT_FOUND, "pnut-user_posts": NOT_FOUND}

TABLE: dict[str, dict[str, str]] = {
    "author_blocks_viewer": BLOCKED,
    "viewer_blocks_author": BLOCKED,
    "repost_of_blocked": {
        "adn-by_id": NOT_FOUND,
        "adn-ids": ABSENT,
        "adn-user_posts": ABSENT,  # the reposter's
        "adn-personal": ABSENT,
        "adn-unified": ABSENT,
        "pnut-by_id": NOT_FOUND,
        "pnut-ids": ABSENT,
        "pnut-user_posts": ABSENT,
        "pnut-personal": ABSENT,
        "pnut-unified": ABSENT,
        "diaspora-by_id": NOT_FOUND,
    },
    "muted_author": {
        "adn-by_id": PRESENT,
        "adn-ids": ABSENT,
        "adn-thread": ABSENT,
        "adn-replies_of_post": PRESENT,
        "adn-starrers_of_post": PRESENT,
        "adn-reposters_of_post": PRESENT,
        "adn-user_posts": PRESENT,  # include_muted defaults to 1 on the muted user's own posts
        "adn-mentions": ABSENT,
        "adn-tag": ABSENT,
        "adn-global": ABSENT,
        "adn-personal": ABSENT,
        "adn-unified": ABSENT,
        "adn-user_stars": ABSENT,
        "pnut-by_id": PRESENT,
        "pnut-ids": ABSENT,
        "pnut-thread": ABSENT,
        "pnut-replies_of_post": PRESENT,
        "pnut-user_posts": PRESENT,
        "pnut-mentions": ABSENT,
        "pnut-tag": ABSENT,
        "pnut-global": ABSENT,
        "pnut-personal": ABSENT,
        "pnut-unified": ABSENT,
        "pnut-user_stars": ABSENT,
        "diaspora-by_id": PRESENT,
        "diaspora-thread": ABSENT,  # diaspora's thread has no include_muted to lift it
        "diaspora-replies_of_post": PRESENT,
        "diaspora-starrers_of_post": PRESENT,
        "diaspora-reposters_of_post": PRESENT,
    },
    "muted_author+include_muted": {
        "adn-ids": PRESENT,
        "adn-thread": PRESENT,
        "adn-mentions": PRESENT,
        "adn-tag": PRESENT,
        "adn-global": PRESENT,
        "adn-personal": PRESENT,
        "adn-unified": PRESENT,
        "adn-user_stars": PRESENT,
        "pnut-ids": PRESENT,
        "pnut-thread": PRESENT,
        "pnut-mentions": PRESENT,
        "pnut-tag": PRESENT,
        "pnut-global": PRESENT,
        "pnut-personal": PRESENT,
        "pnut-unified": PRESENT,
        "pnut-user_stars": PRESENT,
    },
    "suspended_author": SUSPENDED,
    # The same, signed out, on every path that needs no user token.
    "suspended_author+signed_out": {
        path: expected for path, expected in SUSPENDED.items() if not READS[path].signed_in_only
    },
    # include_deleted defaults to 1: lists and lookups show a tombstone (is_deleted: true).
    "deleted": {
        "adn-by_id": PRESENT,
        "adn-ids": PRESENT,
        "adn-thread": PRESENT,
        "adn-replies_of_post": PRESENT,
        "adn-user_posts": PRESENT,
        # Deleting empties a post's text, and with it its mentions and hashtags.
        "adn-mentions": ABSENT,
        "adn-tag": ABSENT,
        "adn-global": PRESENT,
        "adn-personal": PRESENT,
        "adn-unified": PRESENT,
        "adn-user_stars": PRESENT,
        "pnut-by_id": PRESENT,
        "pnut-ids": PRESENT,
        "pnut-thread": PRESENT,
        "pnut-replies_of_post": PRESENT,
        "pnut-user_posts": PRESENT,
        "pnut-mentions": ABSENT,
        "pnut-tag": ABSENT,
        "pnut-global": PRESENT,
        "pnut-personal": PRESENT,
        "pnut-unified": PRESENT,
        "pnut-user_stars": PRESENT,
        # diaspora never shows a deleted post
        "diaspora-by_id": NOT_FOUND,
        "diaspora-thread": ABSENT,
        "diaspora-replies_of_post": NOT_FOUND,
        "diaspora-starrers_of_post": NOT_FOUND,
        "diaspora-reposters_of_post": NOT_FOUND,
    },
    "deleted+include_deleted_0": {
        "adn-by_id": NOT_FOUND,
        "adn-ids": ABSENT,
        "adn-thread": ABSENT,
        "adn-user_posts": ABSENT,
        "adn-mentions": ABSENT,
        "adn-tag": ABSENT,
        "adn-global": ABSENT,
        "adn-personal": ABSENT,
        "adn-unified": ABSENT,
        "adn-user_stars": ABSENT,
        "pnut-by_id": NOT_FOUND,
        "pnut-ids": ABSENT,
        "pnut-thread": ABSENT,
        "pnut-user_posts": ABSENT,
        "pnut-mentions": ABSENT,
        "pnut-tag": ABSENT,
        "pnut-global": ABSENT,
        "pnut-personal": ABSENT,
        "pnut-unified": ABSENT,
        "pnut-user_stars": ABSENT,
    },
    # A machine-only post has no text, hence no mentions or tags: those paths cannot hold it.
    "machine_only": {
        "adn-by_id": PRESENT,
        "adn-ids": ABSENT,
        "adn-thread": ABSENT,
        "adn-user_posts": ABSENT,
        "adn-global": ABSENT,
        "adn-personal": ABSENT,
        "adn-unified": ABSENT,
        "adn-user_stars": ABSENT,
        "pnut-by_id": PRESENT,
        "pnut-ids": ABSENT,
        "pnut-thread": ABSENT,
        "pnut-user_posts": ABSENT,
        "pnut-global": ABSENT,
        "pnut-personal": ABSENT,
        "pnut-unified": ABSENT,
        "pnut-user_stars": ABSENT,
        "diaspora-thread": ABSENT,
    },
    "machine_only+include_machine": {
        "adn-ids": PRESENT,
        "adn-thread": PRESENT,
        "adn-user_posts": PRESENT,
        "adn-global": PRESENT,
        "adn-personal": PRESENT,
        "adn-unified": PRESENT,
        "adn-user_stars": PRESENT,
        "pnut-ids": PRESENT,
        "pnut-thread": PRESENT,
        "pnut-user_posts": PRESENT,
        "pnut-global": PRESENT,
        "pnut-personal": PRESENT,
        "pnut-unified": PRESENT,
        "pnut-user_stars": PRESENT,
    },
    "directed": {
        "adn-personal": ABSENT,  # ADN: include_directed_posts defaults to 0 there
        "pnut-personal": PRESENT,  # pnut: it defaults to 1
    },
    "directed+include_directed_posts": {"adn-personal": PRESENT},
}


# --- the world ----------------------------------------------------------------------------------


def build_world(make_user: Callable[..., User], subject_kind: str) -> tuple[Users, Post, dict]:
    """author, viewer, other (root's author, the commenter), fan (stars and reposts), stranger.

    The viewer follows fan, and the author unless the subject is fan's repost (a follower of
    the author would have been shown the original, and the repost deduplicated away). The
    subject replies to other's root, mentions the viewer and carries the tag; other comments on
    it; fan stars and reposts it and root.
    """
    users = {name: make_user(name) for name in ("author", "viewer", "other", "fan", "stranger")}
    author, viewer, other, fan = (users[n] for n in ("author", "viewer", "other", "fan"))
    follow(viewer, fan)
    if subject_kind != "repost":
        follow(viewer, author)
    root = create_post(other, text="the root of the thread")
    twin = None
    if subject_kind == "machine":
        post = create_post(
            author,
            text="",
            machine_only=True,
            annotations=[{"type": "net.example.x", "value": {"a": 1}}],
            reply_to=root.pk,
        )
        twin = create_post(author, text="a twin for humans", reply_to=root.pk)
    elif subject_kind == "directed":
        post = create_post(author, text=f"@stranger only for you #{TAG}", reply_to=root.pk)
        twin = create_post(author, text="a twin for everyone", reply_to=root.pk)
    else:
        post = create_post(author, text=f"hello @viewer #{TAG}", reply_to=root.pk)
    comment = create_post(other, text="a comment", reply_to=post.pk)
    for starred in (post, root, *([twin] if twin else [])):
        star(fan, starred)
    fans_repost, _ = repost(fan, post)
    repost(fan, root)
    subject = fans_repost if subject_kind == "repost" else post
    ids = {
        "subject": subject,
        "root": root,
        "comment": comment,
        **({"twin": twin} if twin else {}),
    }
    ctx = {name: str(p.pk) for name, p in ids.items()}
    ctx |= {f"{name}_guid": p.guid for name, p in ids.items()}
    ctx |= {
        "poster": str(subject.user_id),
        "viewer": str(viewer.pk),
        "fan": str(fan.pk),
        "fan_guid": fan.guid,
        "fan_username": fan.username,
    }
    return users, post, ctx


def look(
    api: Api, read: Read, dialect: str, ctx: dict, token: str | None, params: dict, target: str
) -> tuple[str, dict | None]:
    """The cell's value as the response has it, and the target's object when present."""
    response = api.get(read.url.format(**ctx), token, **params)
    if response.status_code == 404:
        assert_dialect_error(response, RENDERERS[dialect], 404)
        return NOT_FOUND, None
    assert response.status_code == 200, (response.status_code, response.content)
    found = read.pick(response)
    return (PRESENT, found[ctx[target]]) if ctx[target] in found else (ABSENT, None)


def check_cell(
    api: Api,
    make_user: Callable[..., User],
    token_for: Callable[..., str],
    rule_name: str,
    path: str,
    expected: str,
) -> None:
    rule, read, dialect = RULES[rule_name], READS[path], path.split("-")[0]
    users, post, ctx = build_world(make_user, rule.subject)
    token = token_for(users["viewer"]) if rule.signed_in else None
    if expected != PRESENT:
        # The positive control: this read shows the subject while the rule is not in force.
        # A rule in force from the start: the same read of a twin post it does not touch.
        control = ctx
        if rule.apply is None:
            control = {**ctx, "subject": ctx["twin"], "subject_guid": ctx["twin_guid"]}
        seen, _ = look(api, read, dialect, control, token, rule.params, read.target)
        assert seen == PRESENT, f"control: {path} does not show {read.target} without the rule"
    if rule.apply is not None:
        rule.apply(users, post, users[read.actor])
    seen, item = look(api, read, dialect, ctx, token, rule.params, read.target)
    assert seen == expected, f"{rule_name} on {path}: {seen}, expected {expected}"
    if rule.apply is _deleted and seen == PRESENT and read.target == "subject":
        assert item.get("is_deleted") is True, item  # a tombstone, not the post


def cells(*, streams: bool) -> list:
    """The table's cells whose path does (or does not) read a fan-out stream."""
    return [
        pytest.param(rule, path, expected, id=f"{rule}-{path}")
        for rule, paths in TABLE.items()
        for path, expected in paths.items()
        if READS[path].stream == streams
    ]


@pytest.mark.parametrize(("rule", "path", "expected"), cells(streams=False))
def test_visibility(api, make_user, token_for, rule, path, expected):
    check_cell(api, make_user, token_for, rule, path, expected)


# Personal and unified streams hold rows the fan-out writes when the post's transaction commits.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("rule", "path", "expected"), cells(streams=True))
def test_visibility_in_streams(api, make_user, token_for, rule, path, expected):
    check_cell(api, make_user, token_for, rule, path, expected)
