"""Creating and deleting posts, replies and (the rows of) reposts.

A new post's fan-out is recorded in its own transaction (``streams.tasks.record_fan_out``): the
outbox row commits with the post and the task is enqueued once it has.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from core.errors import Reason, Refused, invalid
from core.inputs import parse_id
from entities.core import fill_uri_templates, render_html
from entities.options import EntityOptions
from entities.services import process_post_text
from files.services.annotations import check_references
from interactions import services as interactions
from interactions.models import REPLY
from places.services import annotations as place_annotations
from polls.services import NewPoll, create_poll, notice_for
from polls.services import attach as attach_polls
from streams.tasks import record_fan_out
from users.models import User
from users.services.graph import blocked_between

from ..models import Post, PostHashtag, PostMention, PostRevision
from ..models.post_hashtag import fold_tag
from .annotations import validate_annotations
from .counters import shift, shift_posts_counts
from .lookup import get_post, lock_post


def _reply_target_id(reply_to) -> int | None:
    """The id of the post a reply attaches to: the original when ``reply_to`` is a repost."""
    if reply_to in (None, ""):
        return None
    if isinstance(reply_to, bool) or not isinstance(reply_to, str | int):
        raise invalid("reply_to must be a post id.")
    pk = parse_id(str(reply_to), "reply_to")
    row = Post.objects.visible_to(None).filter(pk=pk).values_list("repost_of_id").first()
    if row is None:
        raise invalid(f"reply_to {pk} is not a post.")
    return row[0] or pk  # replying to a repost replies to the original


def _lock_reply_target(target_id: int, author: User) -> Post:
    # Locked (and re-read) in the reply's transaction, so a concurrent delete cannot slip in
    # between the check and the num_replies update.
    target = lock_post(target_id)
    if target is None:
        raise invalid(f"reply_to {target_id} is not a post.")
    if target.is_deleted:
        raise invalid(f"reply_to {target_id} has been deleted.")
    if blocked_between(author, target.user):
        raise Refused(Reason.BLOCKED, "You cannot reply to this user's posts.")
    return target


def index_entities(post: Post, *, replace: bool = False) -> None:
    """The hashtag and mention rows the tag and mentions streams read, for ``post``'s entities
    as they now are (``replace``: a revision's, instead of the rows there were)."""
    if replace:
        PostHashtag.objects.filter(post=post).delete()
        PostMention.objects.filter(post=post).delete()
    tags = {fold_tag(tag["name"]) for tag in post.entities.get("hashtags", [])}
    PostHashtag.objects.bulk_create([PostHashtag(post=post, name=t) for t in tags if t])
    mentioned = {int(m["id"]) for m in post.entities.get("mentions", []) if m.get("id")}
    PostMention.objects.bulk_create([PostMention(post=post, user_id=u) for u in mentioned])


def checked_content(
    author: User, text, annotations, machine_only: bool, noun: str = "post"
) -> tuple[str, list[dict]]:
    """The text and annotations of a new post (or message, ``noun``) by ``author``: text, or a
    machine-only one with annotations and no text; the files its annotations name must be
    ``author``'s (files.services.annotations). Refused (invalid) otherwise."""
    text = "" if text is None else text
    if not isinstance(text, str):
        raise invalid("text must be a string.")
    # Files, polls and places named in the annotations must be there (and their tokens right).
    annotations = attach_polls(check_references(author, validate_annotations(annotations)))
    annotations = place_annotations.check_references(annotations)
    if machine_only:
        if text.strip():
            raise invalid(f"A machine_only {noun} cannot have text.")
        if not annotations:
            raise invalid(f"A machine_only {noun} needs at least one annotation.")
        return "", annotations
    if not text.strip():
        raise invalid("text is required (or machine_only with annotations).")
    return text, annotations


def is_directed(entities: dict, machine_only: bool) -> bool:
    mentions = entities.get("mentions", [])
    return any(m.get("is_leading") for m in mentions) or (machine_only and bool(mentions))


def create_post(
    author: User,
    *,
    text: str | None = "",
    reply_to=None,
    machine_only: bool = False,
    annotations=None,
    entities: EntityOptions | None = None,
    source=None,
    is_nsfw: bool = False,
) -> Post:
    text, annotations = checked_content(author, text, annotations, machine_only)
    processed = process_post_text(text, entities)
    target_id = _reply_target_id(reply_to)
    with transaction.atomic():
        target = _lock_reply_target(target_id, author) if target_id else None
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
            is_directed=is_directed(processed.entities, machine_only),
        )
        post.thread_id = target.thread_id if target else post.pk
        filled = fill_uri_templates(post.entities, post_id=post.pk)
        if filled != post.entities:
            # {post_id} in a link url is only known now; the html must show the filled url.
            post.entities, post.html = filled, render_html(post.text, filled)
        post.save(update_fields=["thread_id", "entities", "html"])
        index_entities(post)
        if target:
            shift(Post, target.pk, num_replies=1)
            interactions.record(
                REPLY,
                user_id=target.user_id,
                actor_id=author.pk,
                post_id=target.pk,
                cause_id=post.pk,
            )
        shift(User, author.pk, posts_count=1)
        record_fan_out(post)
    return post


def create_post_with_poll(author: User, poll: NewPoll, *, text, source=None) -> Post:
    """A post with a new poll attached (diaspora's post with a poll, pnut's poll notice):
    both are made, or neither."""
    with transaction.atomic():
        made = create_poll(author, poll, source=source)
        return create_post(author, text=text, annotations=[notice_for(made)], source=source)


def delete_post(user: User, post_id) -> Post:
    """Delete a post of ``user``'s. An original stays as a tombstone (threads keep their shape)
    and takes its reposts with it; a repost disappears. Returns the post as it now is (for a
    repost: its original)."""
    post = get_post(post_id)
    if post.user_id != user.pk:
        raise Refused(Reason.NOT_ALLOWED, "You can only delete your own posts.")
    return erase_post(post)


def remove_repost_row(repost: Post) -> bool:
    """Delete a repost row while its original is locked; False when it was already gone."""
    _, per_model = Post.objects.filter(pk=repost.pk).delete()
    if not per_model.get(Post._meta.label):
        return False
    shift(Post, repost.repost_of_id, num_reposts=-1)
    shift(User, repost.user_id, posts_count=-1)
    return True


def erase_post(post: Post) -> Post:
    """Delete ``post`` once the caller has settled who may: ``delete_post`` lets its author,
    ``comments.delete_reply`` also the author of the post it replies to."""
    if post.repost_of_id:
        # A repost disappears (it answers 404 afterwards); its original is returned.
        with transaction.atomic():
            lock_post(post.repost_of_id)
            if not remove_repost_row(post):
                raise Refused(Reason.DELETED, f"Post {post.pk} is already deleted.")
        return Post.objects.select_related("user").get(pk=post.repost_of_id)
    with transaction.atomic():
        post_id = post.pk
        post = lock_post(post_id, exclusive=True)
        if post is None or post.is_deleted:
            raise Refused(Reason.DELETED, f"Post {post_id} is already deleted.")
        reposts = list(Post.objects.filter(repost_of=post).select_for_update().order_by("id"))
        Post.objects.filter(pk__in=[r.pk for r in reposts]).delete()
        post.is_deleted = True
        post.text = post.html = ""
        post.entities = {"mentions": [], "hashtags": [], "links": []}
        post.num_reposts = 0
        post.save(update_fields=["is_deleted", "text", "html", "entities", "num_reposts"])
        PostHashtag.objects.filter(post=post).delete()
        PostMention.objects.filter(post=post).delete()
        PostRevision.objects.filter(post=post).delete()  # its earlier words go with it
        interactions.forget_caused_by([post.pk])  # its reposts' went with their rows
        if post.reply_to_id:
            shift(Post, post.reply_to_id, num_replies=-1)
        # The author and every reposter lose a post; users are locked last, in id order.
        losses = Counter([post.user_id, *(r.user_id for r in reposts)])
        shift_posts_counts({uid: -n for uid, n in losses.items()})
    post.refresh_from_db()
    return post
