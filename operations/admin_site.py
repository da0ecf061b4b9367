"""The admin site: Django's, with the operations dashboard as one of its pages."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path


class OperationsAdminSite(admin.AdminSite):
    site_header = "adn-api administration"
    site_title = "adn-api admin"
    index_template = "operations/admin/index.html"

    def get_urls(self):
        from .views.dashboard import DashboardView

        dashboard = staff_member_required(DashboardView.as_view(site=self))
        return [path("dashboard/", dashboard, name="dashboard"), *super().get_urls()]
