"""The web app's Content-Security-Policy, on its pages only.

The pages load nothing inline and nothing from elsewhere: one stylesheet and two scripts from
this server's static files, images from this server (avatars, photos: the files app serves them).
The APIs answer JSON, and the admin and Swagger UI keep their own markup, so the header goes only
on the web app's pages (its URL namespace, its error pages) and the account pages it shares with
OAuth (``/login/``, ``/logout/``, ``/signup/``), beside the security headers every response has.
"""

from __future__ import annotations

DIRECTIVES = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
]
POLICY = "; ".join([*DIRECTIVES, "form-action 'self'"])
# The sign-in form's answer may redirect on to an app's redirect_uri (OAuth, after an approval
# given before), which browsers check against form-action: these pages leave it open.
ACCOUNT_POLICY = "; ".join(DIRECTIVES)
ACCOUNT_PAGES = {"login", "logout", "signup"}


def policy_for(request, response) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is not None and not match.namespaces and match.url_name in ACCOUNT_PAGES:
        return ACCOUNT_POLICY
    if getattr(response, "web_page", False) or (match is not None and "web" in match.namespaces):
        return POLICY
    return None


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = policy_for(request, response)
        if policy is not None:
            response.setdefault("Content-Security-Policy", policy)
        return response
