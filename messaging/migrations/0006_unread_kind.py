from django.db import migrations, models

# The existing rows' kind is their channel's type (SQLite has UPDATE … FROM since 3.33).
BACKFILL = """
UPDATE messaging_unread SET kind = c.type FROM messaging_channel c
WHERE c.id = messaging_unread.channel_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0005_message_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="unread",
            name="kind",
            field=models.CharField(default="", max_length=255),
            preserve_default=False,
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="unread",
            index=models.Index(fields=["user", "kind", "channel"], name="unread_user_kind"),
        ),
    ]
