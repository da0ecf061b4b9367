"""pnut.io's spelling of posts, users, tokens and processed text, and of a new post's body.

Every object is reshaped from the ADN rendering of the same rows (``PostPage`` for posts, with its
constant-query viewer context, and ``user_to_adn`` for users), so viewer flags, counters, the
deleted-post rules and image defaults are decided in one place and the two dialects cannot
disagree. This module only renames and regroups fields as the pnut 1.x docs spell them
(tests/pnut/data/shapes.json has each object's keys and types), and adds what pnut alone shows:
a user's ``counts.clients`` (one query per page) and a mention's ``is_copy``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from oauth2_provider.models import get_application_model

from adn_api.serializers import token_to_adn
from entities.core import ParsedText
from posts.models import Post
from posts.options import ReadOptions
from posts.serializers import PostPage, post_viewer_flags
from users.models import User
from users.serializers import add_user_annotations, user_to_adn, user_viewer_flags
from users.services.presence import presence_of
from users.services.viewer import ViewerContext

# pnut's name for the personal (and unified) stream's marker, kept as App.net's "my_stream".
TO_PNUT_MARKERS = {"my_stream": "personal"}
FROM_PNUT_MARKERS = {pnut: ours for ours, pnut in TO_PNUT_MARKERS.items()}

ADN_SCHEMA = 'itemscope="https://app.net/schemas/Post"'
PNUT_SCHEMA = 'itemscope="https://pnut.io/schemas/Post"'


def pnut_html(html: str) -> str:
    """Our stored (ADN) markup in pnut's vocabulary: its schema URL and ``tag`` for ``hashtag``.

    Plain replacements are safe: every ``"`` of user text and attribute values is escaped when
    the markup is made, so the quoted strings below can only be the server's own markup.
    """
    return (
        html.replace(ADN_SCHEMA, PNUT_SCHEMA, 1)
        .replace('itemprop="hashtag"', 'itemprop="tag"')
        .replace('data-hashtag-name="', 'data-tag-name="')
    )


def pnut_entities(entities: dict, text: str = "") -> dict:
    """ADN ``mentions/hashtags/links`` as pnut's ``mentions/tags/links``: a link's ``url``,
    a mention's ``is_leading`` and ``is_copy`` only when true (pnut 1.x)."""
    links = []
    for link in entities.get("links") or ():
        item = {"url": link["url"], "text": link["text"], "pos": link["pos"], "len": link["len"]}
        if "amended_len" in link:
            item["amended_len"] = link["amended_len"]
        links.append(item)
    mentions = []
    copying = False  # the mention before was a copy mention
    previous_end = 0
    for m in entities.get("mentions") or ():
        mention = {"id": m["id"], "text": m["name"], "pos": m["pos"], "len": m["len"]}
        if m.get("is_leading"):
            mention["is_leading"] = True
        # pnut's copy mention: right after "/", or after a copy mention with only space between.
        before = text[: m["pos"]]
        copying = before.endswith("/") or (copying and not before[previous_end:].strip())
        if copying and text:
            mention["is_copy"] = True
        previous_end = m["pos"] + m["len"]
        mentions.append(mention)
    tags = [
        {"text": t["name"], "pos": t["pos"], "len": t["len"]}
        for t in entities.get("hashtags") or ()
    ]
    return {"links": links, "mentions": mentions, "tags": tags}


def raw_from_annotations(annotations: Iterable[dict]) -> dict[str, list]:
    """ADN annotations ``[{type, value}]`` as pnut raw ``{type: [value, …]}``."""
    raw: dict[str, list] = {}
    for annotation in annotations:
        raw.setdefault(annotation["type"], []).append(annotation["value"])
    return raw


def _image(adn_image: dict) -> dict:
    return {
        "url": adn_image["url"],
        "width": adn_image["width"],
        "height": adn_image["height"],
        "is_default": adn_image["is_default"],
    }


def source_from_adn(source: dict) -> dict:
    """pnut's client as a ``source``: ``{id, name, url}`` (1.x renamed ``link`` to ``url``)."""
    return {"id": source["client_id"], "name": source["name"], "url": source["link"]}


VIEWER_KEYS = ("follows_you", "you_blocked", "you_follow", "you_muted", "you_can_follow")


def pnut_user_flags(user_id: int, context: ViewerContext) -> dict[str, bool]:
    """The viewer's relations to a user, as pnut's user object shows them (App.net's, but
    ``you_can_subscribe``): merged into cached renderings of users, posts and messages."""
    flags = user_viewer_flags(user_id, context)
    return {key: flags[key] for key in VIEWER_KEYS}


def client_counts(ids: set[int]) -> dict[str, int]:
    """How many clients (OAuth applications) each user made: pnut's ``counts.clients``, one
    query for a page's users."""
    if not ids:
        return {}
    rows = (
        get_application_model()
        .objects.filter(user_id__in=ids)
        .values_list("user_id")
        .annotate(n=Count("id"))
    )
    return {str(user_id): n for user_id, n in rows}


def adn_user_ids(value: Any) -> set[str]:
    """The ids of every ADN user rendered anywhere in ``value`` (posts, samples, channels)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "username" in item and "avatar_image" in item:
                found.add(item["id"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@dataclass(frozen=True)
class UserExtras:
    """What pnut's users show beyond App.net's rendering, loaded once for a page's users: their
    client counts (with the counts) and, with ``include_presence=1``, their presence."""

    clients: Mapping[str, int] = field(default_factory=dict)
    presence: Mapping[str, str] | None = None

    @classmethod
    def load(cls, user_ids: Iterable[str], options: ReadOptions) -> UserExtras:
        ids = {int(pk) for pk in user_ids}
        return cls(
            clients=client_counts(ids) if options.counts else {},
            presence=(
                {str(pk): status for pk, status in presence_of(ids).items()}
                if options.presence
                else None
            ),
        )


def user_from_adn(adn: dict, options: ReadOptions, extras: UserExtras) -> dict:
    """pnut's user object from ADN's rendering of the same user, with the page's
    ``UserExtras``."""
    description = adn["description"]
    content = {
        "text": description["text"],
        "entities": pnut_entities(description["entities"], description["text"]),
        "avatar_image": _image(adn["avatar_image"]),
        "cover_image": _image(adn["cover_image"]),
    }
    if options.user_html:
        content["html"] = pnut_html(description.get("html", ""))
    data = {
        "id": adn["id"],
        "username": adn["username"],
        "name": adn["name"],
        "type": adn["type"],
        "locale": adn["locale"],
        "timezone": adn["timezone"],
        "created_at": adn["created_at"],
        "content": content,
    }
    if options.counts:
        counts = adn["counts"]
        data["counts"] = {
            "bookmarks": counts["stars"],
            "clients": extras.clients.get(adn["id"], 0),
            "followers": counts["followers"],
            "following": counts["following"],
            "posts": counts["posts"],
        }
    data.update({key: adn[key] for key in VIEWER_KEYS if key in adn})
    if extras.presence is not None:
        data["presence"] = extras.presence.get(adn["id"], "offline")
    if options.user_annotations:
        data["raw"] = raw_from_annotations(adn.get("annotations", []))
    if "pagination_id" in adn:
        data["pagination_id"] = adn["pagination_id"]
    return data


def users_from_adn(adn_users: list[dict], options: ReadOptions) -> list[dict]:
    """A page of ADN-rendered users in pnut's shape (one query for their client counts)."""
    extras = UserExtras.load((u["id"] for u in adn_users), options)
    return [user_from_adn(data, options, extras) for data in adn_users]


def users_to_pnut(users: Iterable[User], viewer, options: ReadOptions) -> list[dict]:
    """A page of users: one query for the viewer's relationships, whatever its size, and one
    for their client counts."""
    users = list(users)
    context = ViewerContext.load(viewer, (u.pk for u in users))
    adn = [user_to_adn(u, context) for u in users]
    if options.user_annotations:
        add_user_annotations(adn, users)
    return users_from_adn(adn, options)


def set_user(data: dict, adn_user: dict, options: ReadOptions, extras: UserExtras) -> None:
    """An object's ``user``, or with ``include_user=0`` only its ``user_id`` (pnut 1.x)."""
    if options.user:
        data["user"] = user_from_adn(adn_user, options, extras)
    else:
        data["user_id"] = adn_user["id"]


class PnutPostPage:
    """A page of posts in pnut's shape, on ``PostPage``'s constant-query context.

    ``post_from_adn`` is the one place a pnut post is drawn: streams, lookups and writes all
    come here.
    """

    def __init__(self, posts: Iterable[Post], viewer, options: ReadOptions):
        self.page = PostPage(list(posts), viewer, options)
        self.options = options
        self.extras = UserExtras()

    def render(self) -> list[dict]:
        adn = [self.page.adn(post) for post in self.page.posts]
        self.extras = UserExtras.load(adn_user_ids(adn), self.options)
        return [
            self.post_from_adn(data, post) for data, post in zip(adn, self.page.posts, strict=True)
        ]

    def _user_list(self, adn_users: list[dict]) -> list[dict] | list[str]:
        if self.options.user:
            return [user_from_adn(u, self.options, self.extras) for u in adn_users]
        return [u["id"] for u in adn_users]

    def post_from_adn(self, adn: dict, post: Post) -> dict:
        options = self.options
        # A repost mirrors the acted-on post's content, counts and raw (pnut's repost docs); its
        # viewer flags mirror it too, since bookmarking or reposting a repost acts on the original.
        acted_on = adn.get("repost_of", adn)
        data: dict[str, Any] = {"id": adn["id"], "created_at": adn["created_at"]}
        # include_client=0: the client's id instead of its object (pnut's general parameters).
        source = source_from_adn(adn["source"])
        data["source"] = source if options.client else source["id"]
        set_user(data, adn["user"], options, self.extras)
        data["thread_id"] = adn["thread_id"]
        if adn["reply_to"]:
            data["reply_to"] = adn["reply_to"]
        if options.counts:
            data["counts"] = {
                "bookmarks": acted_on["num_stars"],
                "replies": acted_on["num_replies"],
                "reposts": acted_on["num_reposts"],
                # Sub-threads are not tracked here: pnut's ``threads`` counter is always 0.
                "threads": 0,
            }
        if post.is_deleted:
            data["is_deleted"] = True  # and no content, as pnut's docs say
        else:
            text = acted_on["text"]
            content = {"text": text, "entities": pnut_entities(acted_on["entities"], text)}
            if options.post_html:
                content["html"] = pnut_html(acted_on["html"])
            data["content"] = content
        if post.is_nsfw:
            data["is_nsfw"] = True
        if post.is_revised:
            data["is_revised"] = True
        if (shown := getattr(post, "shown_revision", None)) is not None:
            data["revision"] = str(shown)  # an earlier version (posts.services.revisions)
        if "you_starred" in adn:
            data["you_bookmarked"] = acted_on["you_starred"]
            data["you_reposted"] = acted_on["you_reposted"]
        if options.post_annotations:
            data["raw"] = raw_from_annotations(acted_on.get("annotations", []))
        if options.starred_by:
            data["bookmarked_by"] = self._user_list(adn["starred_by"])
        if options.reposters:
            data["reposted_by"] = self._user_list(adn["reposters"])
        if post.repost_of_id:
            data["repost_of"] = self.post_from_adn(adn["repost_of"], post.repost_of)
        if "pagination_id" in adn:
            data["pagination_id"] = adn["pagination_id"]
        return data


def posts_to_pnut(posts: list[Post], viewer, options: ReadOptions) -> list[dict]:
    return PnutPostPage(posts, viewer, options).render()


def with_pnut_viewer_flags(data: dict, context: ViewerContext, pagination_id=None) -> dict:
    """A post rendered for no one (``posts_to_pnut(posts, None, …)``) with what ``_from_adn``
    adds for a signed-in viewer (the acted-on post's flags, a repost's being its original's,
    and the author's relations, ``VIEWER_KEYS``) and where it is on the page; ``data`` itself,
    a cached rendering, is left as it is."""
    data = dict(data)
    if pagination_id is not None:
        data["pagination_id"] = str(pagination_id)
    if not context.authenticated:
        return data
    acted_on = data.get("repost_of", data)
    flags = post_viewer_flags(int(acted_on["id"]), context)
    data["you_bookmarked"] = flags["you_starred"]
    data["you_reposted"] = flags["you_reposted"]
    user = data.get("user")  # include_user=0: only ``user_id``
    if user is not None:
        data["user"] = {**user, **pnut_user_flags(int(user["id"]), context)}
    if "repost_of" in data:
        data["repost_of"] = with_pnut_viewer_flags(data["repost_of"], context)
    return data


def token_to_pnut(token, render_user: Callable[[object], dict]) -> dict:
    """pnut's token object: the app as ``{id, url, name}``, the scopes, the user."""
    adn = token_to_adn(token, render_user)
    app = adn["app"]
    data = {
        "app": {"id": app["client_id"], "url": app["link"], "name": app["name"]},
        "scopes": adn["scopes"],
    }
    if "user" in adn:
        data["user"] = adn["user"]
        storage = adn["storage"]  # pnut reports the quota as available and total
        data["storage"] = {
            "available": storage["available"],
            "total": storage["available"] + storage["used"],
        }
    return data


def processed_text_to_pnut(parsed: ParsedText) -> dict:
    """The text processor's answer, flat as pnut's docs show it."""
    return {
        "text": parsed.text,
        "html": pnut_html(parsed.html),
        "entities": pnut_entities(parsed.entities, parsed.text),
    }


def lost_post(post: Post) -> dict:
    """What pnut shows of a post the viewer can no longer see, after removing their repost of
    it: its id, and that they no longer repost it."""
    return {"id": str(post.pk), "you_reposted": False}
