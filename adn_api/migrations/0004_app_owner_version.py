from django.conf import settings
from django.db import migrations

from core.row_versions import bump_owner_on_change


class Migration(migrations.Migration):
    """A user's row version moves when they make or drop an app: their rendering (pnut's
    ``counts.clients``) is cached under it (adn_api/rendered.py)."""

    dependencies = [
        ("adn_api", "0003_row_version"),
        ("users", "0004_row_version"),
        migrations.swappable_dependency(settings.OAUTH2_PROVIDER_APPLICATION_MODEL),
    ]

    operations = [
        bump_owner_on_change("oauth2_provider_application", "user_id", "users_user"),
    ]
