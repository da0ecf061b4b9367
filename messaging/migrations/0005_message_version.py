from django.db import migrations, models

from core.row_versions import bump_version_on_update


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0004_message_channel_no_own_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="version",
            field=models.BigIntegerField(default=0, db_default=0, editable=False),
        ),
        bump_version_on_update("messaging_message"),
    ]
