"""The admin's own polish: its favicon, the Operations pages in the side menu, and
django-oauth-toolkit's unused models kept out of the index."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

FAVICON = "/static/operations/favicon.svg"


@pytest.mark.parametrize(
    "page", ["/admin/", "/admin/users/user/", "/admin/posts/report/", "/admin/dashboard/"]
)
def test_every_admin_page_links_the_favicon(moderator_client, page):
    html = moderator_client.get(page).content.decode()
    assert f'<link rel="icon" type="image/svg+xml" href="{FAVICON}">' in html


def test_the_sign_in_page_links_the_favicon_too(client):
    assert FAVICON in client.get("/admin/login/").content.decode()


def test_the_favicon_is_served(client):
    response = client.get(FAVICON)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(response.streaming_content)


def test_the_side_menu_has_the_operations_pages(moderator_client):
    html = moderator_client.get("/admin/users/user/").content.decode()
    menu = html[html.index('id="nav-sidebar"') :]
    assert 'id="nav-operations"' in menu
    assert 'href="/admin/dashboard/"' in menu
    assert 'href="/admin/posts/report/?status__exact=open"' in menu
    dashboard = moderator_client.get("/admin/dashboard/").content.decode()
    assert 'class="model-dashboard current-model"' in dashboard


def test_the_side_menu_leaves_out_open_reports_to_staff_who_cannot_see_them(make_user):
    clerk = make_user("clerk", is_staff=True)
    client = Client()
    client.force_login(clerk)
    html = client.get("/admin/dashboard/").content.decode()
    start = html.index('id="nav-operations"')
    menu = html[start : html.index("</nav>", start)]
    assert "Dashboard" in menu and "status__exact=open" not in menu


def test_grants_and_id_tokens_are_not_in_the_admin(moderator_client):
    index = moderator_client.get("/admin/").content.decode()
    assert "/admin/oauth2_provider/grant/" not in index
    assert "/admin/oauth2_provider/idtoken/" not in index
    assert "/admin/oauth2_provider/application/" in index
    assert "/admin/oauth2_provider/accesstoken/" in index
    assert "/admin/oauth2_provider/refreshtoken/" in index
    assert moderator_client.get("/admin/oauth2_provider/grant/").status_code == 404
    assert moderator_client.get("/admin/oauth2_provider/idtoken/").status_code == 404
