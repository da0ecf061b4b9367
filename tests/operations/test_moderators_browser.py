"""A moderator made by ``create_user --moderator``, in a real browser against a real server: the
reports queue and the users list open, a report is resolved; OAuth apps' secrets stay shut."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from posts.models import Post, Report
from posts.services.posting import create_post

from ..browsers import browser, new_page, server  # noqa: F401
from .moderators import ensure_moderators_group
from .test_dashboard_browser import run_action, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_moderator_resolves_a_report_but_cannot_open_app_secrets(
    browser,  # noqa: F811
    server,  # noqa: F811
    make_user,
    oauth_app,
    tmp_path,
):
    ensure_moderators_group()  # a transactional test before this one may have flushed it
    call_command(
        "create_user", "mod", "--email", "mod@example.com", "--password", "pw-mod-secret",
        "--moderator",
    )  # fmt: skip
    author = make_user("author")
    post = create_post(author, text="cheap watches, click here")
    report = Report.objects.create(post=post, reporter=make_user("carol"), reason="spam")
    outside: list[str] = []
    page = new_page(browser, server, outside)

    sign_in(page, server, "mod")
    page.wait_for_url(f"{server}/admin/")
    page.screenshot(path=str(tmp_path / "moderator-index.png"), full_page=True)

    page.goto(f"{server}/admin/posts/report/?status__exact=open")
    assert page.locator("#result_list").count() == 1
    assert "cheap watches" in page.locator("#result_list").inner_text()
    page.goto(f"{server}/admin/users/user/")
    assert "author" in page.locator("#result_list").inner_text()

    message = run_action(
        page, server, "/admin/posts/report/?status__exact=open", report.pk, "delete_content"
    )
    assert "Deleted 1 post(s); 1 report(s) actioned." in message
    page.screenshot(path=str(tmp_path / "moderator-queue.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == Report.Status.ACTIONED
    assert Post.objects.get(pk=post.pk).is_deleted

    response = page.goto(f"{server}/admin/oauth2_provider/application/{oauth_app.pk}/change/")
    assert response.status == 403
    assert oauth_app.client_id not in page.content()
    assert outside == []


def test_admin_pages_load_without_a_failed_request(
    browser,  # noqa: F811
    server,  # noqa: F811
    make_user,
    tmp_path,
):
    make_user("root", is_staff=True, is_superuser=True)
    outside: list[str] = []
    page = new_page(browser, server, outside)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else 0)

    sign_in(page, server, "root")
    page.wait_for_url(f"{server}/admin/")
    assert page.locator("#content-main a[href='/admin/oauth2_provider/grant/']").count() == 0
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    page.goto(f"{server}/admin/users/user/")
    menu = page.locator("#nav-sidebar #nav-operations")
    assert menu.locator("a:text('Dashboard')").count() == 1
    assert menu.locator("a:text('Open reports')").count() == 1
    icon = page.evaluate(
        "() => fetch(document.querySelector('link[rel=icon]').href)"
        ".then((r) => [r.status, r.headers.get('content-type')])"
    )
    assert icon[0] == 200 and icon[1].startswith("image/svg+xml")
    page.screenshot(path=str(tmp_path / "users.png"), full_page=True)
    menu.locator("a:text('Dashboard')").click()
    page.wait_for_url(f"{server}/admin/dashboard/")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert failed == [] and outside == []
