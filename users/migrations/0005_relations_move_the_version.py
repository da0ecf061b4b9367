from django.db import migrations

from core.row_versions import bump_owner_on_change


class Migration(migrations.Migration):
    """A user's row version moves with every relation a viewer context shows of them as the
    viewer (users/services/viewer.py reuses a context under it): the users they follow and who
    follow them (also counters on the row), the users they mute and block."""

    dependencies = [("users", "0004_row_version")]

    operations = [
        bump_owner_on_change(
            "users_follow", "follower_id", "users_user", name="users_follow_follower_version"
        ),
        bump_owner_on_change(
            "users_follow", "followee_id", "users_user", name="users_follow_followee_version"
        ),
        bump_owner_on_change("users_mute", "muter_id", "users_user"),
        bump_owner_on_change("users_block", "blocker_id", "users_user"),
    ]
