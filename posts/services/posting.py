"""Creating and deleting posts and replies."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from adn_api.errors import BadRequest, Forbidden, NotFound
from adn_api.pagination import parse_id
from entities.core import EntityError, fill_uri_templates
from entities.services import process_text
from users.models import User
from users.services.graph import blocked_between

from ..models import Post, PostHashtag, PostMention
from ..signals import post_created, post_deleted
from .annotations import validate_annotations
from .counters import shift
from .lookup import get_post


def fold_tag(name: str) -> str:
    """Tag matching ignores case and underscores (pnut's rule, a superset of App.net's)."""
    return name.lower().replace("_", "")


def _reply_target(reply_to, author: User) -> Post | None:
    if reply_to in (None, ""):
        return None
    try:
        target = Post.objects.select_related("repost_of").get(
            pk=parse_id(str(reply_to), "reply_to")
        )
    except Post.DoesNotExist:
        raise BadRequest(f"reply_to {reply_to} is not a post.") from None
    target = target.original  # replying to a repost replies to the original
    if target.is_deleted:
        raise BadRequest(f"reply_to {target.pk} has been deleted.")
    if blocked_between(author, target.user):
        raise Forbidden("You cannot reply to this user's posts.")
    return target


def _index_entities(post: Post) -> None:
    tags = {fold_tag(tag["name"]) for tag in post.entities.get("hashtags", [])}
    PostHashtag.objects.bulk_create([PostHashtag(post=post, name=t) for t in tags if t])
    mentioned = {int(m["id"]) for m in post.entities.get("mentions", []) if m.get("id")}
    PostMention.objects.bulk_create([PostMention(post=post, user_id=u) for u in mentioned])


def create_post(
    author: User,
    *,
    text: str = "",
    reply_to=None,
    machine_only: bool = False,
    annotations=None,
    links: list[dict] | None = None,
    parse_links: bool = True,
    parse_markdown_links: bool = False,
    source=None,
    is_nsfw: bool = False,
) -> Post:
    if not isinstance(text, str):
        raise BadRequest("text must be a string.")
    annotations = validate_annotations(annotations)
    if machine_only:
        if text.strip():
            raise BadRequest("A machine_only post cannot have text.")
        if not annotations:
            raise BadRequest("A machine_only post needs at least one annotation.")
    elif not text.strip():
        raise BadRequest("text is required (or machine_only with annotations).")
    if len(text) > settings.POST_TEXT_MAX_LENGTH:
        raise BadRequest(
            f"text is {len(text)} characters; the limit is {settings.POST_TEXT_MAX_LENGTH}."
        )
    target = _reply_target(reply_to, author)
    try:
        processed = process_text(
            text, parse_links=parse_links, parse_markdown_links=parse_markdown_links, links=links
        )
    except EntityError as error:
        raise BadRequest(f"entities: {error}") from None
    mentions = processed.entities.get("mentions", [])
    with transaction.atomic():
        post = Post.objects.create(
            user=author,
            text=processed.text,
            html=processed.html,
            entities=processed.entities,
            annotations=annotations,
            source=source,
            reply_to=target,
            machine_only=machine_only,
            is_nsfw=is_nsfw,
            is_directed=any(m.get("is_leading") for m in mentions)
            or (machine_only and bool(mentions)),
        )
        post.thread_id = target.thread_id if target else post.pk
        post.entities = fill_uri_templates(post.entities, post_id=post.pk)
        post.save(update_fields=["thread_id", "entities"])
        _index_entities(post)
        shift(User, author.pk, posts_count=1)
        if target:
            shift(Post, target.pk, num_replies=1)
        transaction.on_commit(lambda: post_created.send(Post, post_id=post.pk))
    return post


def delete_post(user: User, post_id) -> Post:
    """Delete a post of ``user``'s. An original stays as a tombstone (threads keep their shape)
    and takes its reposts with it; a repost disappears. Returns the post as it now is (for a
    repost: its original)."""
    from reposts.services import delete_repost

    with transaction.atomic():
        post = get_post(post_id, for_update=True)
        if post.user_id != user.pk:
            raise Forbidden("You can only delete your own posts.")
        if post.repost_of_id:
            return delete_repost(post)
        if post.is_deleted:
            raise NotFound(f"Post {post.pk} is already deleted.")
        for repost in Post.objects.filter(repost_of=post).select_for_update():
            delete_repost(repost)
        post.is_deleted = True
        post.text = post.html = ""
        post.entities = {"mentions": [], "hashtags": [], "links": []}
        post.save(update_fields=["is_deleted", "text", "html", "entities"])
        PostHashtag.objects.filter(post=post).delete()
        PostMention.objects.filter(post=post).delete()
        shift(User, post.user_id, posts_count=-1)
        if post.reply_to_id:
            shift(Post, post.reply_to_id, num_replies=-1)
        transaction.on_commit(lambda: post_deleted.send(Post, post_id=post.pk))
    post.refresh_from_db()
    return post
