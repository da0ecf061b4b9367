from django.db import migrations

from core.row_versions import bump_owner_on_change


class Migration(migrations.Migration):
    """A user's row version moves when they star, unstar or report a post (a viewer context
    shows both, and users/services/viewer.py reuses it under the viewer's version). Their posts,
    reposts and replies move it by ``posts_count``."""

    dependencies = [
        ("posts", "0005_row_version"),
        ("users", "0005_relations_move_the_version"),
    ]

    operations = [
        bump_owner_on_change("posts_star", "user_id", "users_user"),
        bump_owner_on_change("posts_report", "reporter_id", "users_user"),
    ]
