"""The admins' dashboard: a page of the admin site (see admin_site.py), staff only."""

from __future__ import annotations

from django.conf import settings
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from ..services.dashboard import CHART_DAYS, dashboard


@method_decorator(never_cache, name="dispatch")
class DashboardView(TemplateView):
    template_name = "operations/dashboard.html"
    site = None  # the AdminSite serving the page: its header, sidebar and links

    def get_context_data(self, **kwargs) -> dict:
        return {
            **self.site.each_context(self.request),
            **super().get_context_data(**kwargs),
            "title": "Dashboard",
            "dashboard": dashboard(),
            "chart_days": CHART_DAYS,
            "fan_out_retry_after": settings.FANOUT_RETRY_AFTER_SECONDS,
        }
