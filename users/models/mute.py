from .relation import UserRelation, pair_constraints, user_keys


class Mute(UserRelation):
    """``muter`` no longer sees ``muted``'s posts in streams (filtered at read time)."""

    muter, muted = user_keys(related_names=("mute_rows", "muted_by_rows"))
    str_template = "{self.muter_id} mutes {self.muted_id}"

    class Meta:
        constraints = pair_constraints("mute", "muter", "muted")
