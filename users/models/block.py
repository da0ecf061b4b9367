from .relation import UserRelation, pair_constraints, user_keys


class Block(UserRelation):
    """``blocker`` blocks ``blocked``: no follows either way, no interaction with their posts."""

    blocker, blocked = user_keys(related_names=("block_rows", "blocked_by_rows"))
    str_template = "{self.blocker_id} blocks {self.blocked_id}"

    class Meta:
        constraints = pair_constraints("block", "blocker", "blocked")
