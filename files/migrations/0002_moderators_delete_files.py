"""Moderators may view files and delete them from the admin (files/admin.py)."""

from django.db import migrations

from operations.moderators import GROUP, make_permissions

CODENAMES = ("view_file", "delete_file")


def grant(apps, schema_editor):
    make_permissions(apps, "files")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="files", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="files", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0001_initial"),
        ("operations", "0001_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
