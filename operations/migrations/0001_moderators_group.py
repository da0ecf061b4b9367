"""The ``moderators`` group: exactly what the moderation pages of the admin need.

- the reports queue (posts.Report): view it, and change, which its actions (dismiss, delete the
  reported content, suspend the author) take;
- users (users.User): view them, and change, which suspending and restoring take;
- posts (posts.Post): view them, and change, which the "delete as their authors would" action
  takes (posts/admin.py: the raw change and delete pages are refused to everyone, so the
  ``delete_post`` permission would grant nothing).

Nothing else: no OAuth applications or tokens, no groups or permissions.
"""

from django.db import migrations

from operations.moderators import make_permissions

GROUP = "moderators"
PERMISSIONS = {
    ("posts", "report"): ("view", "change"),
    ("users", "user"): ("view", "change"),
    ("posts", "post"): ("view", "change"),
}


def create_group(apps, schema_editor):
    # On a fresh database the permissions are made after every migration (post_migrate): make
    # those of the apps named here now.
    for label in sorted({app for app, _ in PERMISSIONS}):
        make_permissions(apps, label)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [
        (app, f"{action}_{model}")
        for (app, model), actions in PERMISSIONS.items()
        for action in actions
    ]
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("posts", "0001_initial"),
        ("users", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
