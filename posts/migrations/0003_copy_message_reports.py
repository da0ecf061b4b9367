"""The reports of messages (messaging.MessageReport, dropped by messaging 0003) copied into the
one reports queue, state and time kept. Its own migration: the copy's deferred FK checks must
not share a transaction with 0002's index changes."""

from django.db import migrations


def copy_message_reports(apps, schema_editor) -> None:
    # In SQL: auto_now_add would stamp the copies with now; the reported times are kept.
    old = apps.get_model("messaging", "MessageReport")._meta.db_table
    new = apps.get_model("posts", "Report")._meta.db_table
    columns = "message_id, reporter_id, reason, status, created_at"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {new} ({columns}) SELECT {columns} FROM {old} ORDER BY id")


def uncopy_message_reports(apps, schema_editor) -> None:
    apps.get_model("posts", "Report").objects.filter(message__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("posts", "0002_report_of_a_message"), ("messaging", "0002_message_is_sticky")]

    operations = [migrations.RunPython(copy_message_reports, uncopy_message_reports)]
