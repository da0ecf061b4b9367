"""Wiring: posts and the follow graph tell the streams app what changed."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from posts.signals import post_created
from users.signals import followed, unfollowed

from .services import fanout

logger = logging.getLogger(__name__)


@receiver(post_created)
def fan_out_new_post(sender, post, **kwargs) -> None:
    fanout.record_fan_out(post)


def _run_task(task, *args) -> None:
    """Enqueue a bounded graph task; run it here if the broker is unreachable."""
    try:
        task.apply_async(args, retry=False)
    except Exception:
        logger.warning("broker unreachable; running %s inline", task.name, exc_info=True)
        task.run(*args)


@receiver(followed)
def merge_on_follow(sender, follower_id, followee_id, **kwargs) -> None:
    from .tasks import merge_followee

    _run_task(merge_followee, follower_id, followee_id)


@receiver(unfollowed)
def remove_on_unfollow(sender, follower_id, followee_id, **kwargs) -> None:
    from .tasks import remove_followee

    _run_task(remove_followee, follower_id, followee_id)
