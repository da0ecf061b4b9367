"""The web app's Content-Security-Policy, on its pages only.

The pages load nothing inline and nothing from elsewhere: one stylesheet and two scripts from
this server's static files, images from this server (avatars, photos: the files app serves them).
The APIs answer JSON, and the admin and Swagger UI keep their own markup, so the header goes only
on the web app's pages (its URL namespace, its error pages) and the account pages it shares with
OAuth (``/login/``, ``/logout/``, ``/signup/``), beside the security headers every response has.
"""

from __future__ import annotations

POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
ACCOUNT_PAGES = {"login", "logout", "signup"}


def is_web_page(request, response) -> bool:
    if getattr(response, "web_page", False):
        return True
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return "web" in match.namespaces or match.url_name in ACCOUNT_PAGES


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_web_page(request, response):
            response.setdefault("Content-Security-Policy", POLICY)
        return response
