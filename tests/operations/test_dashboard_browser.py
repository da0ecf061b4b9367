"""The admin in a real browser (Playwright driving Debian's chromium) against a real server: a
staff member signs in, reads the dashboard, whose charts are drawn from the seeded database,
resolves a report and suspends a user; someone who is not staff is kept out."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from adn_api.celery import app as celery_app
from posts.models import Post, Report
from users.models import User

from ..browsers import browser, new_page, server  # noqa: F401
from .seeding import seed

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# What each chart holds, read from Chart.js itself, and whether its canvas has pixels drawn.
CHARTS_JS = """
() => Array.from(document.querySelectorAll("canvas[data-series]")).map((canvas) => {
  const chart = window.Chart && window.Chart.getChart(canvas);
  const context = canvas.getContext("2d");
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) drawn++; }
  return {
    id: canvas.id,
    data: chart ? chart.data.datasets.map((dataset) => dataset.data) : null,
    labels: chart ? chart.data.labels : null,
    drawn: drawn,
  };
})
"""


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-secret")
    page.click("input[type=submit]")


def run_action(page, base: str, changelist: str, pk: int, action: str) -> str:
    page.goto(f"{base}{changelist}")
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    return page.locator("ul.messagelist").inner_text()


def test_staff_reads_the_dashboard_and_moderates(
    browser,  # noqa: F811
    server,  # noqa: F811
    broker_queue,
    make_user,
    tmp_path,
):
    staff = make_user("root", is_staff=True, is_superuser=True)
    expected = seed(make_user, staff)
    celery_app.control.purge()  # the seeded posts' own fan-out tasks
    for _ in range(2):  # waiting for a worker (none runs here)
        celery_app.send_task("streams.tasks.sweep_pending_fan_outs")
    outside: list[str] = []
    page = new_page(browser, server, outside)

    sign_in(page, server, "root")
    page.click("#operations-module a:text('Dashboard')")
    page.wait_for_url(f"{server}/admin/dashboard/")
    page.wait_for_function(
        "() => document.querySelectorAll('canvas[data-series]').length === 4 && "
        "Array.from(document.querySelectorAll('canvas[data-series]'))"
        ".every((c) => window.Chart && window.Chart.getChart(c))"
    )

    # The charts hold the database's days, and are drawn.
    today = timezone.localdate()
    days = [today - timezone.timedelta(days=n) for n in range(29, -1, -1)]
    charts = {chart["id"]: chart for chart in page.evaluate(CHARTS_JS)}
    assert charts["chart-posts"]["data"] == [[expected.posts_by_day.get(d, 0) for d in days]]
    assert charts["chart-users"]["data"] == [[expected.users_by_day.get(d, 0) for d in days]]
    assert charts["chart-posts"]["labels"][-1] == today.isoformat()[5:]

    # The follow graph: users per degree bucket (by followers, by follows), the most followed.
    degrees = charts["chart-degrees"]
    assert degrees["labels"][:3] == ["0", "1", "2-4"] and degrees["labels"][-1] == "1000+"
    assert degrees["data"] == [
        [expected.users_by_followers.get(label, 0) for label in degrees["labels"]],
        [expected.users_by_following.get(label, 0) for label in degrees["labels"]],
    ]
    top = charts["chart-top-followed"]
    assert list(zip(top["labels"], top["data"][0], strict=True)) == expected.top_followed
    assert all(chart["drawn"] > 1000 for chart in charts.values())

    # The figures are the database's.
    def figure(name: str) -> str:
        return page.locator(f"[data-figure='{name}']").inner_text().strip()

    assert figure("users") == str(expected.users)
    assert figure("active-7") == str(expected.active_7)
    assert figure("active-30") == str(expected.active_30)
    assert figure("follows") == str(expected.follows)
    assert figure("open-reports") == str(expected.open_reports)
    assert figure("fanout-pending") == str(expected.pending)
    assert figure("fanout-p95") == f"{expected.p95:.3f} s"
    assert figure("queue-depth") == "2"

    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

    # Resolve a report: delete the reported post.
    report = Report.objects.get(post_id=expected.post_ids["second"])
    message = run_action(
        page, server, "/admin/posts/report/?status__exact=open", report.pk, "delete_content"
    )
    assert "Deleted 1 post(s); 1 report(s) actioned." in message
    report.refresh_from_db()
    assert report.status == Report.Status.ACTIONED
    assert Post.objects.get(pk=expected.post_ids["second"]).is_deleted

    # Suspend a user.
    bob = User.objects.get(username="bob")
    message = run_action(page, server, "/admin/users/user/?q=bob", bob.pk, "suspend_users")
    assert "Suspended 1 user(s)." in message
    bob.refresh_from_db()
    assert bob.is_active is False

    page.goto(f"{server}/admin/dashboard/")
    assert figure("suspended") == str(expected.suspended + 1)
    assert figure("open-reports") == str(expected.open_reports - 1)
    assert outside == []  # no CDN: everything came from this server


def test_someone_who_is_not_staff_is_kept_out(browser, server, make_user):  # noqa: F811
    make_user("alice")
    outside: list[str] = []
    page = new_page(browser, server, outside)
    sign_in(page, server, "alice")
    assert "staff account" in page.locator(".errornote").inner_text()
    page.goto(f"{server}/admin/dashboard/")
    assert urlsplit(page.url).path == "/admin/login/"
    assert page.locator("[data-figure]").count() == 0
    assert page.locator("canvas").count() == 0
