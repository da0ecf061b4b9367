"""django.contrib.admin with our admin site (kept out of apps.py: Django would take the imported
AdminConfig for this app's own config)."""

from django.contrib.admin.apps import AdminConfig


class OperationsAdminConfig(AdminConfig):
    """The admin whose default site is ours, so the dashboard is a page of the admin (its login,
    its permissions, its look) and every app's ``admin.site.register`` lands there."""

    default_site = "operations.admin_site.OperationsAdminSite"
