"""The admins' dashboard, read through the admin as a staff member sees it: every figure is the
database's (seeded with a known history), and only staff get in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from adn_api.celery import app as celery_app
from operations.services.activity import DEGREE_BUCKETS
from operations.services.fanout_health import delay_percentiles, percentiles_of
from posts.services.posting import create_post
from streams.models import FanOut, StreamItem
from streams.services.trim import trim_streams

from .conftest import daily_numbers, degree_numbers, figures, top_followed
from .seeding import seed

DASHBOARD = "/admin/dashboard/"

pytestmark = pytest.mark.django_db


def test_admin_index_links_to_the_dashboard(moderator_client):
    page = moderator_client.get("/admin/")
    assert page.status_code == 200
    assert f'href="{DASHBOARD}"' in page.content.decode()


def test_dashboard_shows_the_databases_numbers(moderator_client, moderator, make_user):
    expected = seed(make_user, moderator)
    page = moderator_client.get(DASHBOARD)
    assert page.status_code == 200
    html = page.content.decode()
    shown = figures(html)
    assert shown["users"] == str(expected.users)
    assert shown["suspended"] == str(expected.suspended)
    assert shown["active-7"] == str(expected.active_7)
    assert shown["active-30"] == str(expected.active_30)
    assert shown["follows"] == str(expected.follows)
    assert shown["following-someone"] == str(expected.following_someone)
    assert shown["followed"] == str(expected.followed)
    assert shown["open-reports"] == str(expected.open_reports)
    assert shown["fanout-pending"] == str(expected.pending)
    oldest = float(shown["fanout-oldest"].removesuffix(" s"))
    assert expected.oldest_pending_seconds <= oldest < expected.oldest_pending_seconds + 60
    assert shown["fanout-completed"] == str(expected.completed_last_hour)
    assert shown["fanout-p50"] == f"{expected.p50:.3f} s"
    assert shown["fanout-p95"] == f"{expected.p95:.3f} s"

    table = daily_numbers(html)
    today = timezone.localdate()
    assert len(table) == 30 and max(table) == today.isoformat()
    for day, (posts, users) in table.items():
        key = timezone.datetime.fromisoformat(day).date()
        assert posts == expected.posts_by_day.get(key, 0), day
        assert users == expected.users_by_day.get(key, 0), day
    degrees = degree_numbers(html)
    assert list(degrees) == [label for label, _, _ in DEGREE_BUCKETS]
    assert list(degrees)[:3] == ["0", "1", "2-4"] and list(degrees)[-1] == "1000+"
    for label, (followers, following) in degrees.items():
        assert followers == expected.users_by_followers.get(label, 0), label
        assert following == expected.users_by_following.get(label, 0), label
    assert top_followed(html) == expected.top_followed
    # The charts' script is fed the same series.
    assert '<script id="dashboard-data" type="application/json">' in html
    assert "operations/vendor/chart.umd.min.js" in html


def test_dashboard_costs_the_same_queries_whatever_the_history(
    moderator_client, moderator, make_user, django_assert_max_num_queries
):
    seed(make_user, moderator)
    with django_assert_max_num_queries(14):
        assert moderator_client.get(DASHBOARD).status_code == 200
    for n in range(20):
        make_user(f"extra{n}")
    with django_assert_max_num_queries(14):
        assert moderator_client.get(DASHBOARD).status_code == 200


def test_dashboard_reads_the_queue_depth_from_the_broker(moderator_client, broker_queue):
    assert figures(moderator_client.get(DASHBOARD).content.decode())["queue-depth"] == "0"
    for _ in range(3):
        celery_app.send_task("streams.tasks.sweep_pending_fan_outs")
    assert figures(moderator_client.get(DASHBOARD).content.decode())["queue-depth"] == "3"


def test_dashboard_says_why_there_is_no_queue_depth_when_tasks_run_in_process(
    moderator_client,
):
    assert celery_app.conf.task_always_eager  # the test settings' default
    shown = figures(moderator_client.get(DASHBOARD).content.decode())
    assert shown["queue-depth"].startswith("—")
    assert "tasks run in-process" in moderator_client.get(DASHBOARD).content.decode()


def test_delay_percentiles_in_python_match_postgresqls(make_user):
    """The embedded SQLite default computes the percentiles in Python; they must agree."""
    from posts.services.posting import create_post

    author = make_user("writer")
    now = timezone.now()
    delays = [0.2, 0.4, 1.5, 1.7, 2.0, 3.3, 8.0, 13.0, 21.5, 40.0, 0.9]
    for i, delay in enumerate(delays):
        post = create_post(author, text=f"post {i}")
        created = now - timedelta(minutes=30)
        FanOut.objects.filter(post=post).update(
            created_at=created, completed_at=created + timedelta(seconds=delay)
        )
    in_sql = delay_percentiles(now - timedelta(hours=1))
    in_python = percentiles_of(delays)
    assert in_sql.completed == in_python.completed == len(delays)
    assert in_sql.p50 == pytest.approx(in_python.p50)
    assert in_sql.p95 == pytest.approx(in_python.p95)
    assert in_python.p50 == 2.0


@pytest.mark.parametrize("staff", [False, True])
def test_only_active_staff_see_the_dashboard(make_user, staff):
    from django.test import Client

    user = make_user("someone", is_staff=staff)
    client = Client()
    client.force_login(user)
    page = client.get(DASHBOARD)
    if staff:
        assert page.status_code == 200
        user.is_active = False
        user.save(update_fields=["is_active"])
        page = client.get(DASHBOARD)
    # Refused: sent to the admin's login page, no figures shown.
    assert page.status_code == 302
    assert page["Location"].startswith("/admin/login/")


def test_anonymous_visitors_are_sent_to_the_admin_login(client, db):
    page = client.get(DASHBOARD)
    assert page.status_code == 302 and page["Location"].startswith("/admin/login/?next=")


def test_dashboard_shows_the_stream_tables_size_and_the_trim(moderator_client, make_user):
    author = make_user("prolific")
    for i in range(5):  # its rows written here: fan-out waits for a commit these tests lack
        StreamItem.objects.get_or_create(owner=author, post=create_post(author, text=f"p{i}"))
    shown = figures(moderator_client.get(DASHBOARD).content.decode())
    assert shown["streams-trimmed"] == "0" and shown["stream-last-trim"] == "never"
    assert shown["stream-table-size"].endswith(("bytes", "KB", "MB"))
    trim_streams(cap=2)
    shown = figures(moderator_client.get(DASHBOARD).content.decode())
    assert shown["streams-trimmed"] == "1"
    assert shown["stream-rows-removed"] == "3"
    assert shown["stream-last-trim"].endswith(" UTC")
