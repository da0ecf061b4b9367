"""Fan-out on write: copying a post into the streams of its author, followers and mentioned users.

Rows are written in batches with bulk inserts that skip rows already there, so delivering the
same batch twice (a retried task) changes nothing. For a repost, each batch first leaves out the
followers whose stream shows the original already (``dedupe.already_shown``), then claims the
rest in the dedupe store (one round trip); only those get the row. An original writes no key.

bench/fanout measures this against a bare bulk insert of the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from posts.models import Post, PostMention
from users.models import Follow, User

from ..dedupe import already_shown, dedupe_store, showing_posts
from ..models import FanOut, StreamItem


def follower_batches(user_id: int, size: int) -> Iterator[list[int]]:
    """Follower ids in batches, in follow order: keyset pagination on the follow's id walks the
    (followee, id) index, with no OFFSET and no sort of all the followers for each batch."""
    last = 0
    while True:
        rows = list(
            Follow.objects.filter(followee_id=user_id, id__gt=last)
            .order_by("id")
            .values_list("id", "follower_id")[:size]
        )
        if not rows:
            return
        yield [follower_id for _, follower_id in rows]
        last = rows[-1][0]


def _insert(owner_ids: list[int], post_id: int, is_mention: bool, *, skip_existing: bool) -> None:
    # One statement, one array parameter: no model objects and no three parameters a row,
    # which cost more than the insert itself.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {StreamItem._meta.db_table} (owner_id, post_id, is_mention) "
            "SELECT owner, %s, %s FROM unnest(%s::bigint[]) AS owner"
            + (" ON CONFLICT DO NOTHING" if skip_existing else ""),
            [post_id, is_mention, list(owner_ids)],
        )


def write_rows(
    owner_ids: list[int], post_id: int, *, is_mention: bool = False, fresh: bool = False
) -> None:
    """Insert the rows, skipping those already there (the unique constraint decides).

    ``fresh``: none of the rows is likely to be there yet (a fan-out's first delivery), so a
    plain insert is tried first -- about a quarter cheaper than one that checks every row for a
    conflict -- and only a batch that meets a row already there (a replayed batch, a follow
    merged meanwhile) is written again, skipping those.
    """
    if not owner_ids:
        return
    if connection.vendor != "postgresql":
        StreamItem.objects.bulk_create(
            [StreamItem(owner_id=o, post_id=post_id, is_mention=is_mention) for o in owner_ids],
            ignore_conflicts=True,
        )
        return
    if fresh:
        try:
            with transaction.atomic():
                _insert(owner_ids, post_id, is_mention, skip_existing=False)
            return
        except IntegrityError:
            pass  # some rows were there: the whole batch was rolled back
    _insert(owner_ids, post_id, is_mention, skip_existing=True)


def deliver_post(post: Post) -> int:
    """Write ``post`` into every stream it belongs in; returns how many owners were offered it."""
    dedupe = dedupe_store()
    original_id = post.repost_of_id
    # The author always sees their own post or repost.
    write_rows([post.user_id], post.pk)
    offered = 1
    showing, author = [], None
    if original_id:
        showing = showing_posts(original_id, post.pk)
        # Nobody is shown a repost of their own post: their stream holds the post itself.
        author = Post.objects.filter(pk=original_id).values_list("user_id", flat=True).first()
    for batch in follower_batches(post.user_id, settings.FANOUT_BATCH_SIZE):
        if original_id:
            shown = already_shown(batch, showing)
            shown.add(author)
            allowed = dedupe.claim([o for o in batch if o not in shown], original_id, post.pk)
        else:
            allowed = batch
        write_rows(allowed, post.pk, fresh=True)
        offered += len(batch)
        if settings.FANOUT_BATCH_PAUSE_SECONDS:
            time.sleep(settings.FANOUT_BATCH_PAUSE_SECONDS)
    if not post.repost_of_id:
        # Mentioned users who do not follow the author see it in their unified stream.
        mentioned = list(PostMention.objects.filter(post=post).values_list("user_id", flat=True))
        write_rows(mentioned, post.pk, is_mention=True)
    return offered


class OriginalPending(Exception):
    """A repost's fan-out waits for its original's: the dedupe reads the original's rows."""


def run_fan_out(fan_out_id: int) -> None:
    fan_out = FanOut.objects.select_related("post").filter(pk=fan_out_id).first()
    if fan_out is None or fan_out.completed_at is not None:
        return  # the post was deleted, or a replayed task finds the work done
    original = fan_out.post.repost_of_id
    if original and FanOut.objects.filter(post_id=original, completed_at__isnull=True).exists():
        # Its followers not reached yet would be shown the repost too; the task is retried.
        raise OriginalPending(f"the fan-out of post {original} is still running")
    delivered = deliver_post(fan_out.post)
    FanOut.objects.filter(pk=fan_out.pk).update(completed_at=timezone.now(), delivered=delivered)


def _following(follower_id: int, followee_id: int) -> bool:
    return Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).exists()


def merge_followee(follower_id: int, followee_id: int) -> None:
    """A new follow: the followee's recent posts join the follower's stream, oldest first so the
    newest ends on top. Their posts already there only because they mentioned the follower are
    merged the same way (written again as followed rows), so they join the personal stream.
    Their reposts follow the fan-out's dedupe: none of the follower's own posts, and none of an
    original the follower's stream shows already (``withheld_reposts``).

    The merge and an unfollow's removal may run in either order, or at once: each locks the two
    users as the graph's changes do (``User.objects.lock``) and acts on the graph as it is then,
    not as it was when the task was queued, so the stream ends as the last change says."""
    with transaction.atomic():
        User.objects.lock(follower_id, followee_id)
        if not _following(follower_id, followee_id):
            return  # unfollowed since: the removal has or will have its way
        recent = Post.objects.filter(user_id=followee_id, is_deleted=False).order_by("-id")
        mentions = StreamItem.objects.filter(
            owner_id=follower_id, post__user_id=followee_id, is_mention=True
        )
        candidates = list(recent.values_list("id", "repost_of_id")[: settings.FOLLOW_MERGE_POSTS])
        withheld = withheld_reposts(follower_id, {o for _, o in candidates if o})
        merged = {post_id for post_id, original in candidates if original not in withheld}
        merged.update(mentions.values_list("post_id", flat=True))
        mentions.delete()
        StreamItem.objects.bulk_create(
            [StreamItem(owner_id=follower_id, post_id=post_id) for post_id in sorted(merged)],
            ignore_conflicts=True,
        )


def withheld_reposts(follower_id: int, originals: set[int]) -> set[int]:
    """Of ``originals`` (reposted by someone just followed), those whose reposts the follower
    is not to be shown: their own posts (ever), and those their personal stream showed within
    the dedupe window, as the original or as another repost of it."""
    if not originals:
        return set()
    own = Post.objects.filter(pk__in=originals, user_id=follower_id).values_list("id", flat=True)
    since = timezone.now() - timedelta(seconds=settings.REPOST_DEDUPE_SECONDS)
    rows = StreamItem.objects.filter(owner_id=follower_id, is_mention=False, delivered_at__gt=since)
    shown = rows.filter(Q(post_id__in=originals) | Q(post__repost_of_id__in=originals))
    seen = shown.annotate(original=Coalesce("post__repost_of_id", "post_id"))
    return {*own, *seen.values_list("original", flat=True)}


def remove_followee(follower_id: int, followee_id: int) -> None:
    """An unfollow: the followee's posts and reposts leave the follower's stream, unless they
    were followed again since; those that mention the follower stay, as mention-only rows (the
    unified stream shows them, the personal stream no longer does)."""
    with transaction.atomic():
        User.objects.lock(follower_id, followee_id)
        if _following(follower_id, followee_id):
            return
        rows = StreamItem.objects.filter(
            owner_id=follower_id, post__user_id=followee_id, is_mention=False
        )
        mentioning = PostMention.objects.filter(user_id=follower_id).values("post_id")
        rows.filter(post_id__in=mentioning).update(is_mention=True)
        rows.delete()
