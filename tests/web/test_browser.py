"""The web app in a real browser (Playwright driving Debian's chromium) against gunicorn: a
visitor reads the landing page, a profile, a thread and a hashtag; signs up, follows, posts with
a mention and a link (the character count counting down as they type), replies, reposts, stars;
the streams show it, "load newer" brings a new post in without leaving the page, and a blocked
user's post is gone. Every page is photographed at a phone's width (390px) and a desktop's
(1280px), light and dark, into ``WEB_SCREENSHOTS`` (a temporary directory by default)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from posts.services.posting import create_post
from users.services import graph
from users.services.profile import update_profile

from ..browsers import browser, new_page  # noqa: F401
from ..processes import free_port, web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def site(tmp_path):
    """gunicorn with tasks run in its own process (the streams' fan-out included), and
    ``PUBLIC_URL`` its own address, as a deployment's is."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with web_server(
        port,
        STATIC_ROOT=str(tmp_path / "not-collected"),
        TEST_CELERY_EAGER="1",
        PUBLIC_URL=base,
        MEDIA_ROOT=str(tmp_path / "media"),
    ) as url:
        yield url


@pytest.fixture
def shots(tmp_path) -> Path:
    directory = Path(os.environ.get("WEB_SCREENSHOTS") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


class Camera:
    """Photographs the page at both widths, in the light scheme and (``dark``) the dark one."""

    def __init__(self, page, directory: Path):
        self.page = page
        self.directory = directory
        self.taken: list[Path] = []

    def __call__(self, name: str, dark: bool = False) -> None:
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            self.page.set_viewport_size(size)
            for scheme in ("light", "dark") if dark else ("light",):
                self.page.emulate_media(color_scheme=scheme)
                path = self.directory / f"{name}-{label}{'-dark' if scheme == 'dark' else ''}.png"
                self.page.screenshot(path=str(path), full_page=True)
                assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
                self.taken.append(path)
        self.page.emulate_media(color_scheme="light")
        self.page.set_viewport_size(DESKTOP)
        # Nothing is wider than the phone's screen (no sideways scrolling).
        self.page.set_viewport_size(PHONE)
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on a phone"
        self.page.set_viewport_size(DESKTOP)


def test_a_visitor_reads_then_signs_up_and_takes_part(browser, site, shots, make_user):  # noqa: F811
    alice, mallory = make_user("alice"), make_user("mallory")
    update_profile(
        alice,
        {
            "name": "Alice Liddell",
            "description": {"text": "Curious. I post about #tea and @mallory"},
        },
        replace=False,
    )
    root = create_post(alice, text="Down the rabbit hole with #tea: https://example.com/hole")
    create_post(mallory, text="@alice pass the #tea please", reply_to=root.pk)
    create_post(mallory, text="mallory's loud post")

    outside: list[str] = []
    page = new_page(browser, site, outside)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    camera = Camera(page, shots)

    # A visitor: the landing page, a profile, a thread, a hashtag.
    page.goto(site + "/")
    assert page.locator("h1").first.inner_text() == "Small posts, real conversations."
    assert f"{site}/stream/0/" in page.locator(".apis").inner_text()
    assert page.locator("article.post", has_text="Down the rabbit hole").count() == 1
    camera("landing", dark=True)

    page.locator("article.post", has_text="Down the rabbit hole").locator("a.who").click()
    page.wait_for_url(f"{site}/alice")
    assert page.locator(".profile h1").inner_text() == "Alice Liddell"
    assert page.locator(".bio a.hashtag").inner_text() == "#tea"
    camera("profile", dark=True)

    page.locator("article.post", has_text="Down the rabbit hole").locator("a.when").click()
    page.wait_for_url(f"{site}/alice/post/{root.pk}")
    thread = page.locator(".thread article.post")
    assert thread.count() == 2
    assert "pass the" in thread.nth(1).inner_text()  # oldest first: the reply below
    assert page.locator('link[rel="canonical"]').get_attribute("href") == (
        f"{site}/alice/post/{root.pk}"
    )
    assert page.locator('meta[property="og:title"]').get_attribute("content")
    camera("thread")

    page.locator("article.post.main a.hashtag").click()
    page.wait_for_url(f"{site}/hashtags/tea")
    assert page.locator("article.post").count() == 2
    camera("hashtag")

    # Sign up.
    page.goto(site + "/")
    page.locator("main a.button", has_text="Create an account").click()
    page.fill("#id_username", "newbie")
    page.fill("#id_email", "newbie@example.com")
    page.fill("#id_password1", "a long enough password 1")
    page.fill("#id_password2", "a long enough password 1")
    camera("signup")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/home")

    # Follow alice, then post with a mention and a link, watching the count go down.
    page.goto(f"{site}/alice")
    page.click("button:text('Follow')")
    page.wait_for_url(f"{site}/alice")
    assert page.locator("button:text('Unfollow')").count() == 1
    page.goto(f"{site}/home")
    text = "Hello @alice! Found this: https://example.com/tea 🫖"
    page.fill("#id_text", text)
    assert page.locator("output.count").inner_text() == str(256 - len(text))
    page.fill("#id_text", "x" * 257)
    assert page.locator("output.count").inner_text() == "-1"
    assert page.locator("form.compose button[type=submit]").is_disabled()
    page.fill("#id_text", text)
    page.click("form.compose button[type=submit]")
    page.wait_for_url(f"{site}/home")
    mine = page.locator("article.post", has_text="Found this")
    assert mine.locator("a.mention").get_attribute("href") == "/alice"
    assert mine.locator("a[href='https://example.com/tea']").count() == 1
    assert page.locator("article.post", has_text="Down the rabbit hole").count() == 1
    camera("home", dark=True)

    # Reply, repost and star alice's post.
    page.goto(f"{site}/alice/post/{root.pk}")
    page.click("a.button:text('Reply to @alice')")
    page.wait_for_url(f"{site}/compose?reply_to={root.pk}")
    assert page.locator("#id_text").input_value() == "@alice "
    camera("compose")
    page.fill("#id_text", "@alice I'll bring scones")
    page.click("form.compose button[type=submit]")
    page.wait_for_url(f"{site}/newbie/post/*")
    assert page.locator(".thread article.post", has_text="bring scones").count() == 1
    page.goto(f"{site}/alice/post/{root.pk}")
    main = page.locator("article.post.main")
    main.locator("button", has_text="Repost").click()
    page.wait_for_load_state()
    main = page.locator("article.post.main")
    assert "Reposted" in main.locator("button[aria-pressed=true]").first.inner_text()
    main.locator("button", has_text="Star").click()
    page.wait_for_load_state()
    main = page.locator("article.post.main")
    assert main.locator("button[aria-pressed=true]").count() == 2
    camera("thread-signed-in")

    # The streams show it; "load newer" brings alice's next post in place.
    page.goto(f"{site}/home")
    assert page.locator("article.post", has_text="bring scones").count() == 1
    assert page.locator("article.post .reposted", has_text="@newbie").count() == 1
    create_post(alice, text="A fresh pot is ready")
    page.click("#newer a")
    page.wait_for_selector("article.post:has-text('A fresh pot is ready')")
    assert page.url == f"{site}/home"
    page.goto(f"{site}/unified")
    assert page.locator("article.post", has_text="A fresh pot").count() == 1

    # Block mallory: her posts leave every stream.
    page.goto(f"{site}/global")
    assert page.locator("article.post", has_text="mallory's loud post").count() == 1
    page.goto(f"{site}/mallory")
    page.click("button:text('Block')")
    page.wait_for_url(f"{site}/mallory")
    for path in ("/global", "/hashtags/tea", f"/alice/post/{root.pk}", "/mallory"):
        page.goto(site + path)
        assert page.locator("article.post", has_text="mallory").count() == 0, path

    # A refusal is a page in the site's style; so is an unknown address.
    response = page.goto(f"{site}/alice/post/{root.pk + 10_000}")
    assert response.status == 404
    camera("not-found")

    # The other signed-in pages, for the pictures.
    graph.follow(alice, page_user := alice.__class__.objects.get(username="newbie"))
    assert page_user
    for name, path in (("interactions", "/interactions"), ("messages", "/messages")):
        page.goto(site + path)
        camera(name)
    page.fill("#id_to", "alice")
    page.fill("#id_text", "Is there any tea left?")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{site}/messages/*")
    assert page.locator(".message.mine", has_text="any tea left").count() == 1
    camera("conversation")
    page.goto(f"{site}/settings/profile")
    camera("edit-profile")

    assert outside == []  # nothing from anywhere but this server
    assert not [m for m in console if "Content Security Policy" in m], console
    print("screenshots:", *camera.taken, sep="\n  ")
