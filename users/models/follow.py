from django.db import models

from .relation import UserRelation, pair_constraints, user_keys


class Follow(UserRelation):
    """``follower`` follows ``followee``. The id orders followers/following lists."""

    follower, followee = user_keys(related_names=("following_rows", "follower_rows"))
    str_template = "{self.follower_id} follows {self.followee_id}"

    class Meta:
        constraints = pair_constraints("follow", "follower", "followee")
        indexes = [models.Index(fields=["followee", "id"])]
