"""Messages' reports moved into the one reports queue (posts.Report) by posts 0003, which
copied the rows; the old table goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_message_is_sticky"),
        ("posts", "0003_copy_message_reports"),
    ]

    operations = [
        migrations.DeleteModel(name="MessageReport"),
    ]
