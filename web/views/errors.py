"""The site's 404 and 500 pages, for the web app's URLs; under the API prefixes Django's own
handlers stay (the APIs answer their JSON errors before these are reached)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from adn_api.dialects import dialect_for_path

from ..pages import message_page


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if dialect_for_path(request.path) is not None:
        return defaults.page_not_found(request, exception)
    return message_page(request, 404, "There is nothing at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    if dialect_for_path(request.path) is not None:
        return defaults.server_error(request)
    # No database work here: whatever failed may be the database.
    response = HttpResponse(
        "<!doctype html><title>Server error</title><h1>Something went wrong</h1>"
        "<p>The server could not answer. Please try again in a moment.</p>",
        status=500,
    )
    response.web_page = True
    return response
