"""What every web view shares: who is looking, rendering a page (marked for the CSP), the page
a refusal becomes, and reading the stream parameters of a query string."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import Reason, Refused, invalid
from core.paging import Cursor
from posts.options import PostFilters
from streams.services.page import Stream, page
from users.models import User
from users.services.viewer import ViewerContext

from .cached import page_cards
from .cards import PageCard

# The status each refusal is answered with: the same meanings as the APIs' tables.
STATUS = {
    Reason.INVALID: 400,
    Reason.NOT_FOUND: 404,
    Reason.DELETED: 410,
    Reason.OWN_POST: 403,
    Reason.BLOCKED: 403,
    Reason.NOT_ALLOWED: 403,
    Reason.ALREADY_DONE: 409,
    Reason.TOO_LARGE: 413,
    Reason.OVER_QUOTA: 507,
    Reason.UNAVAILABLE: 503,
}
TITLES = {
    400: "That did not work",
    403: "Not allowed",
    404: "Not found",
    409: "Already done",
    410: "Deleted",
    413: "Too large",
    503: "Unavailable for a moment",
    507: "Out of space",
}
# Streams show neither deleted nor machine-only posts (as the APIs' defaults).
STREAM = PostFilters(include_deleted=False)
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def viewer_of(request: HttpRequest) -> User | None:
    user = request.user
    return user if user.is_authenticated and user.is_active else None


# What every page links to (``web/base.html``): named routes and static files.
ROUTES = {
    "home": "web:home",
    "landing": "web:landing",
    "global": "web:global",
    "unified": "web:unified",
    "interactions": "web:interactions",
    "inbox": "web:inbox",
    "compose": "web:compose",
    "edit_profile": "web:edit-profile",
    "apps": "web:apps",
    "login": "login",
    "logout": "logout",
    "signup": "signup",
    "docs": "api-docs",
}
STATIC_FILES = {
    "css": "web/site.css",
    "icon": "avatar-default.png",
    "htmx": "web/htmx.min.js",
    "js": "web/site.js",
}


@cache
def _links(script_prefix: str) -> dict[str, str]:
    # A reverse (and a static URL) depends on the URLconf, the settings and the script prefix;
    # only the prefix may change between requests.
    links = {key: reverse(name) for key, name in ROUTES.items()}
    links.update((key, static(path)) for key, path in STATIC_FILES.items())
    return links


def site_links() -> dict[str, str]:
    """The pages' links to the fixed routes and static files, made once rather than by a
    ``{% url %}`` or ``{% static %}`` tag per link on every page."""
    return _links(get_script_prefix())


def page_response(
    request: HttpRequest, template: str, context: dict | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "viewer": viewer_of(request),
        "host": request.get_host(),  # validated once, not by each mention in the templates
        "links": site_links(),
        **(context or {}),
    }
    response = render(request, template, context, status=status)
    response.web_page = True  # web.middleware: the CSP goes on it
    return response


def message_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    title = TITLES.get(status, "Something went wrong")
    context = {"title": title, "message": message, "status": status}
    return page_response(request, "web/message.html", context, status=status)


def refused_page(request: HttpRequest, refusal: Refused) -> HttpResponse:
    return message_page(request, STATUS.get(refusal.reason, 400), refusal.message)


def answers_refusals(view: Callable) -> Callable:
    """A view whose domain refusals become a page saying why, with the refusal's status."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Refused as refusal:
            return refused_page(request, refusal)

    return wrapped


def back_to(request: HttpRequest, default: str) -> HttpResponse:
    """After a form: back where it was sent from (this server only), else ``default``."""
    target = request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if allowed and target.startswith("/") else default)


def _bound(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name)
    if value in (None, ""):
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        raise invalid(f"{name} must be a post id.")
    return int(value)


def cursor_of(request: HttpRequest) -> Cursor:
    """``since_id`` (newer than), ``before_id`` (older than) and ``count`` from the query."""
    count = _bound(request, "count") or PAGE_SIZE
    return Cursor(
        count=min(max(count, 1), MAX_PAGE_SIZE),
        since_id=_bound(request, "since_id"),
        before_id=_bound(request, "before_id"),
    )


@dataclass
class StreamView:
    """A page of a stream as the templates show it: its cards and the links around it."""

    cards: list[PageCard]
    more: bool
    newest: int | None
    oldest: int | None
    count: int
    relations: ViewerContext  # the viewer's, to the posts and to the users asked for


def stream_page(
    request: HttpRequest,
    viewer: User | None,
    stream: Stream,
    filters: PostFilters = STREAM,
    user_ids: tuple[int, ...] = (),
    cursor: Cursor | None = None,
) -> StreamView:
    """A page of ``stream`` (by the query's ``since_id``, ``before_id`` and ``count`` unless a
    ``cursor`` is given); the viewer's relations to ``user_ids`` come in the same query as theirs
    to the posts."""
    cursor = cursor or cursor_of(request)
    found = page(viewer, stream, filters, cursor)
    ids = [entry.id for entry in found.entries]
    shown, relations = page_cards(found.entries, viewer, user_ids)
    return StreamView(
        shown,
        found.more,
        newest=ids[0] if ids else cursor.since_id,
        oldest=ids[-1] if ids else None,
        count=cursor.count,
        relations=relations,
    )
