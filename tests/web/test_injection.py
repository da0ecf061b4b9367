"""Whatever a user writes (post text, profile name and bio) is text on every page: generated
input full of markup never becomes an element, an attribute or a script there, and every page
carries the Content-Security-Policy."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posts.services.posting import create_post
from users.services.profile import update_profile

from ..security.test_html_markup import ADVERSARIAL

pytestmark = pytest.mark.django_db

# Every element the templates write; user input adding any other would be markup getting through.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "div", "nav",
    "ul", "ol", "li", "main", "section", "aside", "h1", "h2", "p", "article", "img", "strong",
    "span", "time", "form", "input", "button", "footer", "details", "summary", "br", "label",
    "textarea", "output", "dl", "dt", "dd", "code",
}  # fmt: skip


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_no_markup_from_users(page: str) -> None:
    parser = Elements()
    parser.feed(page)
    for tag, attrs in parser.found:
        assert tag in TEMPLATE_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/web/"), attrs
        if tag == "link":
            assert attrs.get("rel") in {"stylesheet", "icon", "canonical", "alternate"}, attrs


def storable(text: str) -> str:
    return "".join(c for c in text if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)


markup = st.lists(
    st.one_of(st.sampled_from(ADVERSARIAL), st.text(max_size=10)), min_size=1, max_size=6
).map(lambda parts: storable("".join(parts)))

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(text=markup, name=markup, bio=markup)
def test_user_written_markup_is_text_on_every_page(alice, bob, text, name, bio):
    name = name[:50]
    update_profile(alice, {"name": name, "description": {"text": bio[:256]}}, replace=False)
    post = create_post(alice, text=f"x {text} #inj"[:256])
    reply = create_post(bob, text=f"@alice {text}"[:256], reply_to=post.pk)
    visitor, viewer = Client(), Client()
    viewer.force_login(bob)
    pages = [
        "/global",
        "/alice",
        f"/alice/post/{post.pk}",
        f"/bob/post/{reply.pk}",
        "/hashtags/inj",
    ]
    for client, start in ((visitor, "/"), (viewer, "/home")):
        for path in [start, *pages]:
            response = client.get(path)
            assert response.status_code == 200, path
            assert "script-src 'self'" in response["Content-Security-Policy"]
            page = response.content.decode()
            assert_no_markup_from_users(page)
            if path == "/alice" and name.strip():
                assert escape(name.strip()) in page
