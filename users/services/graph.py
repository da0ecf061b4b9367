"""Follow, mute and block: rows guarded by unique constraints, counters moved in the same
transaction as the row they count, so concurrent requests can neither duplicate a row nor skew a
counter. A follow, unfollow or block first locks both users (``User.objects.lock``), so a follow
racing a block is either refused or ended by it, never left standing beside it. A follow's coming
or going tells the streams app, which merges or removes the followee's posts once it commits
(``streams.tasks.follow_changed``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from core.errors import Reason, Refused, invalid
from interactions import services as interactions
from interactions.models import FOLLOW
from streams.tasks import follow_changed

from ..models import Block, Follow, Mute, User


def _shift_counters(changes: list[tuple[int, str, int]]) -> None:
    # Lock users in id order so that A→B and B→A running together cannot deadlock.
    for user_id, counter, delta in sorted(changes):
        User.objects.filter(pk=user_id).update(**{counter: F(counter) + delta})


def _insert_once(model, **fields) -> bool:
    """Insert a row guarded by a unique constraint; False when it already exists."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def blocked_between(a: User, b: User) -> bool:
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def follow(follower: User, followee: User) -> bool:
    if follower.pk == followee.pk:
        raise invalid("You cannot follow yourself.")
    with transaction.atomic():
        User.objects.lock(follower.pk, followee.pk)
        if blocked_between(follower, followee):
            raise Refused(
                Reason.BLOCKED, "You cannot follow a user you have blocked or who has blocked you."
            )
        created = _insert_once(Follow, follower=follower, followee=followee)
        if created:
            _shift_counters(
                [(follower.pk, "following_count", 1), (followee.pk, "followers_count", 1)]
            )
            follow_changed(follower.pk, followee.pk, following=True)
            interactions.record(FOLLOW, user_id=followee.pk, actor_id=follower.pk)
    return created


def _delete_follow(follower_id: int, followee_id: int) -> bool:
    deleted, _ = Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).delete()
    if deleted:
        _shift_counters(
            [(follower_id, "following_count", -1), (followee_id, "followers_count", -1)]
        )
        follow_changed(follower_id, followee_id, following=False)
        interactions.forget(FOLLOW, actor_id=follower_id, user_id=followee_id)
    return bool(deleted)


def unfollow(follower: User, followee: User) -> bool:
    with transaction.atomic():
        User.objects.lock(follower.pk, followee.pk)
        return _delete_follow(follower.pk, followee.pk)


def mute(muter: User, muted: User) -> bool:
    if muter.pk == muted.pk:
        raise invalid("You cannot mute yourself.")
    return _insert_once(Mute, muter=muter, muted=muted)


def unmute(muter: User, muted: User) -> bool:
    deleted, _ = Mute.objects.filter(muter=muter, muted=muted).delete()
    return bool(deleted)


def block(blocker: User, blocked: User) -> bool:
    """Blocking also ends the follows in both directions."""
    if blocker.pk == blocked.pk:
        raise invalid("You cannot block yourself.")
    with transaction.atomic():
        User.objects.lock(blocker.pk, blocked.pk)
        created = _insert_once(Block, blocker=blocker, blocked=blocked)
        _delete_follow(blocker.pk, blocked.pk)
        _delete_follow(blocked.pk, blocker.pk)
    return created


def unblock(blocker: User, blocked: User) -> bool:
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)
