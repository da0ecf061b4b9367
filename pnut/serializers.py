"""pnut.io's spelling of posts, users, tokens and processed text, and of a new post's body.

Every object is reshaped from the ADN rendering of the same rows (``PostPage`` for posts, with its
constant-query viewer context, and ``user_to_adn`` for users), so viewer flags, counters, the
deleted-post rules and image defaults are decided in one place and the two dialects cannot
disagree. This module only renames and regroups fields as the pnut docs spell them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from adn_api.serializers import token_to_adn
from entities.core import ParsedText
from posts.models import Post
from posts.options import ReadOptions
from posts.serializers import PostPage, post_viewer_flags
from users.models import User
from users.serializers import add_user_annotations, user_to_adn, user_viewer_flags
from users.services.viewer import ViewerContext

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


def pnut_entities(entities: dict) -> dict:
    """ADN ``mentions/hashtags/links`` as pnut's ``mentions/tags/links``."""
    links = []
    for link in entities.get("links") or ():
        item = {"link": link["url"], "text": link["text"], "pos": link["pos"], "len": link["len"]}
        if "amended_len" in link:
            item["amended_len"] = link["amended_len"]
        links.append(item)
    mentions = [
        {
            "id": m["id"],
            "text": m["name"],
            "pos": m["pos"],
            "len": m["len"],
            "is_leading": bool(m.get("is_leading", False)),
        }
        for m in entities.get("mentions") or ()
    ]
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
        "link": adn_image["url"],
        "width": adn_image["width"],
        "height": adn_image["height"],
        "is_default": adn_image["is_default"],
    }


VIEWER_KEYS = ("follows_you", "you_blocked", "you_follow", "you_muted", "you_can_follow")


def user_from_adn(adn: dict, options: ReadOptions) -> dict:
    """pnut's user object from ADN's rendering of the same user."""
    description = adn["description"]
    content = {
        "text": description["text"],
        "entities": pnut_entities(description["entities"]),
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
            # Users here publish no clients and invite no one: pnut's two extra counters are 0.
            "clients": 0,
            "followers": counts["followers"],
            "following": counts["following"],
            "posts": counts["posts"],
            "users": 0,
        }
    data.update({key: adn[key] for key in VIEWER_KEYS if key in adn})
    if options.user_annotations:
        data["raw"] = raw_from_annotations(adn.get("annotations", []))
    if "pagination_id" in adn:
        data["pagination_id"] = adn["pagination_id"]
    return data


def users_to_pnut(users: Iterable[User], viewer, options: ReadOptions) -> list[dict]:
    """A page of users: one query for the viewer's relationships, whatever its size."""
    users = list(users)
    context = ViewerContext.load(viewer, (u.pk for u in users))
    adn = [user_to_adn(u, context) for u in users]
    if options.user_annotations:
        add_user_annotations(adn, users)
    return [user_from_adn(data, options) for data in adn]


class PnutPostPage:
    """A page of posts in pnut's shape, on ``PostPage``'s constant-query context."""

    def __init__(self, posts: Iterable[Post], viewer, options: ReadOptions):
        self.page = PostPage(list(posts), viewer, options)
        self.options = options

    def render(self) -> list[dict]:
        return [self.post(post) for post in self.page.posts]

    def post(self, post: Post) -> dict:
        return self._from_adn(self.page.adn(post), post)

    def _user(self, adn_user: dict) -> dict | str:
        return user_from_adn(adn_user, self.options) if self.options.user else adn_user["id"]

    def _from_adn(self, adn: dict, post: Post) -> dict:
        options = self.options
        # A repost mirrors the acted-on post's content, counts and raw (pnut's repost docs); its
        # viewer flags mirror it too, since bookmarking or reposting a repost acts on the original.
        acted_on = adn.get("repost_of", adn)
        data: dict[str, Any] = {"id": adn["id"], "created_at": adn["created_at"]}
        if options.client:
            source = adn["source"]
            data["source"] = {
                "id": source["client_id"],
                "link": source["link"],
                "name": source["name"],
            }
        data["user"] = self._user(adn["user"])
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
            content = {"text": acted_on["text"], "entities": pnut_entities(acted_on["entities"])}
            if options.post_html:
                content["html"] = pnut_html(acted_on["html"])
            data["content"] = content
        if post.is_nsfw:
            data["is_nsfw"] = True
        if "you_starred" in adn:
            data["you_bookmarked"] = acted_on["you_starred"]
            data["you_reposted"] = acted_on["you_reposted"]
        if options.post_annotations:
            data["raw"] = raw_from_annotations(acted_on.get("annotations", []))
        if options.starred_by:
            data["bookmarked_by"] = [self._user(u) for u in adn["starred_by"]]
        if options.reposters:
            data["reposted_by"] = [self._user(u) for u in adn["reposters"]]
        if post.repost_of_id:
            data["repost_of"] = self._from_adn(adn["repost_of"], post.repost_of)
        if "pagination_id" in adn:
            data["pagination_id"] = adn["pagination_id"]
        return data


def posts_to_pnut(posts: list[Post], viewer, options: ReadOptions) -> list[dict]:
    return PnutPostPage(posts, viewer, options).render()


def add_pnut_viewer_flags(data: dict, context: ViewerContext, pagination_id=None) -> None:
    """Into a post rendered for no one (``posts_to_pnut(posts, None, …)``), what ``_from_adn``
    adds for a signed-in viewer (the acted-on post's flags, a repost's being its original's,
    and the author's relations, ``VIEWER_KEYS``) and where it is on the page."""
    if pagination_id is not None:
        data["pagination_id"] = str(pagination_id)
    if not context.authenticated:
        return
    acted_on = data.get("repost_of", data)
    flags = post_viewer_flags(int(acted_on["id"]), context)
    data["you_bookmarked"] = flags["you_starred"]
    data["you_reposted"] = flags["you_reposted"]
    user = data["user"]
    if isinstance(user, dict):  # include_user=0: only the id
        user_flags = user_viewer_flags(int(user["id"]), context)
        user.update({key: user_flags[key] for key in VIEWER_KEYS})
    if "repost_of" in data:
        add_pnut_viewer_flags(data["repost_of"], context)


def token_to_pnut(token, render_user: Callable[[object], dict]) -> dict:
    """pnut's token object: the app as ``{id, link, name}``, the scopes, the user."""
    adn = token_to_adn(token, render_user)
    app = adn["app"]
    data = {
        "app": {"id": app["client_id"], "link": app["link"], "name": app["name"]},
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
    return {"text": parsed.text, "html": pnut_html(parsed.html), **pnut_entities(parsed.entities)}


def lost_post(post: Post) -> dict:
    """What pnut shows of a post the viewer can no longer see, after removing their repost of
    it: its id, and that they no longer repost it."""
    return {"id": str(post.pk), "you_reposted": False}
