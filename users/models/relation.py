"""What the follow, mute and block rows share: one user acting on another, since a moment.

Each model declares its two user keys (``user_keys``), its constraints (``pair_constraints``)
and the ``str_template`` of its ``__str__``; the abstract ``UserRelation`` adds ``created_at``.
"""

from django.conf import settings
from django.db import models


def user_keys(related_names: tuple[str, str]) -> tuple[models.ForeignKey, models.ForeignKey]:
    """Two keys to users, the one acting first; the row goes when either user does."""
    return tuple(
        models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name=name)
        for name in related_names
    )


def pair_constraints(prefix: str, actor: str, target: str) -> list[models.BaseConstraint]:
    """One row a pair of users (``<prefix>_unique``), and never a user with itself
    (``<prefix>_not_self``)."""
    return [
        models.UniqueConstraint(fields=[actor, target], name=f"{prefix}_unique"),
        models.CheckConstraint(
            condition=~models.Q(**{actor: models.F(target)}), name=f"{prefix}_not_self"
        ),
    ]


class UserRelation(models.Model):
    """Base of a row saying that one user follows, mutes or blocks another."""

    created_at = models.DateTimeField(auto_now_add=True)

    # Set by each subclass, e.g. "{self.follower_id} follows {self.followee_id}".
    str_template = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.str_template.format(self=self)
