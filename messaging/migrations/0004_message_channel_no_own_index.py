import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0003_into_the_reports_queue"),
    ]

    operations = [
        migrations.AlterField(
            model_name="message",
            name="channel",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="messages",
                to="messaging.channel",
            ),
        ),
    ]
