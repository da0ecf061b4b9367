"""No input can put markup into a post's or a user description's ``html`` (CONTRACT §4): only
the server's own span/a/br tags appear, with their own attributes, and links only to http(s).

Adversarial text is posted through the API and read back through each dialect that renders
html (ADN and pnut; diaspora returns the text only)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ALLOWED_TAG = re.compile(
    r"""<span(?:\s(?:itemscope|itemprop|data-[a-z-]+)="[^"<>]*")*>"""
    r"""|<a href="https?://[^"<>\s]*">"""
    r"""|<br>|</span>|</a>"""
)

ADVERSARIAL = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'onmouseover='alert(1)'",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    "[click me](javascript:alert(1))",
    "[<b>bold</b>](http://example.com)",
    '[x](http://example.com/"onmouseover="alert(1))',
    "[x](http://example.com/<script>)",
    "[http://good.example](http://evil.example)",
    "http://example.com/<svg/onload=alert(1)>",
    'https://example.com/"><iframe src=javascript:alert(1)>',
    '<span itemprop="mention">@root</span>',
    "&lt;b&gt; &amp; &#60;",
    "<!-- c --> <![CDATA[x]]> <?php ?>",
    "@alice",
    "#tag",
    "example.com",
    "\n",
    " ",
    "<br>",
    "</span></a>",
]

adversarial_text = st.lists(
    st.one_of(st.sampled_from(ADVERSARIAL), st.text(max_size=12)), min_size=1, max_size=8
).map(lambda parts: "".join(parts)[:200])

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_only_allowed_markup(html: str) -> None:
    position = 0
    while (start := html.find("<", position)) != -1:
        match = ALLOWED_TAG.match(html, start)
        assert match, f"markup from input at {start}: {html[start : start + 60]!r} in {html!r}"
        position = match.end()


def test_the_checker_catches_injected_markup():
    """Guards the checker itself: it must fail on what it is there to catch."""
    for bad in ["<b>x</b>", '<a href="javascript:x">', '<span onclick="x">', "<img src=x>"]:
        with pytest.raises(AssertionError):
            assert_only_allowed_markup(bad)
    assert_only_allowed_markup('<span itemscope="x"><a href="https://e.com/">e</a><br></span>')


@pytest.fixture
def alice(make_user, token_for):
    user = make_user("alice")
    return user, token_for(user)


@FUZZ
@given(text=adversarial_text)
def test_post_html_never_carries_markup_from_the_text(api, alice, text):
    user, token = alice
    body = {"text": text, "entities": {"parse_markdown_links": True, "parse_links": True}}
    response = api.post("/stream/0/posts", token, body)
    if response.status_code == 400:  # e.g. empty after stripping: refused, nothing to render
        return
    assert response.status_code == 200, response.content
    post_id = response.json()["data"]["id"]
    assert_only_allowed_markup(response.json()["data"]["html"])
    assert_only_allowed_markup(api.get(f"/stream/0/posts/{post_id}").json()["data"]["html"])
    pnut = api.get(f"/v1/posts/{post_id}").json()["data"]
    assert_only_allowed_markup(pnut["content"]["html"])


@FUZZ
@given(text=adversarial_text)
def test_user_description_html_never_carries_markup(api, alice, text):
    user, token = alice
    response = api.patch("/stream/0/users/me", token, {"description": {"text": text}})
    if response.status_code == 400:
        return
    assert response.status_code == 200, response.content
    assert_only_allowed_markup(response.json()["data"]["description"]["html"])
    adn = api.get(f"/stream/0/users/{user.pk}").json()["data"]
    assert_only_allowed_markup(adn["description"]["html"])
    pnut = api.get(f"/v1/users/{user.pk}").json()["data"]
    assert_only_allowed_markup(pnut["content"]["html"])


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", 'http://e.com/"><b>x</b>']
)
def test_a_user_supplied_link_cannot_carry_a_script_url_or_markup(api, alice, url):
    _user, token = alice
    body = {"text": "click here", "entities": {"links": [{"pos": 0, "len": 5, "url": url}]}}
    response = api.post("/stream/0/posts", token, body)
    if response.status_code == 400:  # refused outright: as good
        return
    assert response.status_code == 200, response.content
    assert_only_allowed_markup(response.json()["data"]["html"])
