"""What someone signed in does on the web pages (Django's test client, CSRF checked): post,
reply, repost, star, follow, mute, block, report, edit their profile, read interactions, send
private messages, attach a photo and revoke an app. Each goes through the same domain function
as the APIs, so the API sees the result; a refusal is a page with its status."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from oauth2_provider.models import get_access_token_model

from messaging.models import Message
from posts.models import Post, Report, Star
from posts.services.posting import create_post
from users.models import Block, Follow, Mute, User

from ..images import png

pytestmark = pytest.mark.django_db


class Browser:
    """A test client that, like a browser, sends the CSRF token its pages gave it."""

    def __init__(self, user: User):
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(user)
        self.client.get("/home")  # sets the CSRF cookie

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        token = self.client.cookies["csrftoken"].value
        return self.client.post(path, {**(data or {}), "csrfmiddlewaretoken": token}, **kwargs)


def text(response) -> str:
    return response.content.decode()


def test_a_form_without_the_csrf_token_is_refused(alice, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/compose", {"text": "no token"}).status_code == 403
    assert not Post.objects.filter(text="no token").exists()


def test_posting_replying_reposting_and_starring(alice, bob):
    web = Browser(alice)
    response = web.post("/compose", {"text": "Hi @bob, see https://example.com #webtest"})
    assert response.status_code == 302
    post = Post.objects.get(user=alice)
    assert response["Location"] == f"/alice/post/{post.pk}"
    assert post.entities["mentions"][0]["name"] == "bob"
    page = text(web.get(response["Location"]))
    assert 'href="/bob"' in page and 'href="https://example.com"' in page
    assert 'href="/hashtags/webtest"' in page

    bobs = Browser(bob)
    reply = bobs.post("/compose", {"text": "@alice thanks", "reply_to": str(post.pk)})
    assert reply.status_code == 302
    assert Post.objects.get(user=bob, reply_to=post).text == "@alice thanks"
    assert bobs.post(f"/alice/post/{post.pk}/repost").status_code == 302
    assert bobs.post(f"/alice/post/{post.pk}/star").status_code == 302
    post.refresh_from_db()
    assert (post.num_replies, post.num_reposts, post.num_stars) == (1, 1, 1)
    page = text(bobs.get(f"/alice/post/{post.pk}"))
    assert "Reposted" in page and "Starred" in page
    assert bobs.post(f"/alice/post/{post.pk}/unstar").status_code == 302
    assert bobs.post(f"/alice/post/{post.pk}/unrepost").status_code == 302
    post.refresh_from_db()
    assert (post.num_reposts, post.num_stars) == (0, 0)


def test_a_refusal_is_a_page_saying_why_with_its_status(alice):
    web = Browser(alice)
    post = create_post(alice, text="mine")
    response = web.post(f"/alice/post/{post.pk}/repost")
    assert response.status_code == 403
    assert "cannot repost your own post" in text(response)
    response = web.post("/compose", {"text": "x" * 257})
    assert response.status_code == 400
    assert "256" in text(response)
    assert not Post.objects.filter(text="x" * 257).exists()


def test_the_character_limit_counts_code_points(alice):
    web = Browser(alice)
    assert web.post("/compose", {"text": "😀" * 256}).status_code == 302
    assert 'data-max-length="256"' in text(web.get("/compose"))


def test_follow_mute_block_and_report(alice, bob):
    web = Browser(alice)
    assert web.post("/bob/follow").status_code == 302
    assert Follow.objects.filter(follower=alice, followee=bob).exists()
    assert "Unfollow" in text(web.get("/bob"))
    assert web.post("/bob/mute").status_code == 302
    assert Mute.objects.filter(muter=alice, muted=bob).exists()
    assert web.post("/bob/unmute").status_code == 302
    post = create_post(bob, text="spam spam")
    assert web.post(f"/bob/post/{post.pk}/report").status_code == 302
    assert Report.objects.filter(reporter=alice, post=post).exists()
    assert web.post("/bob/block").status_code == 302
    assert Block.objects.filter(blocker=alice, blocked=bob).exists()
    assert not Follow.objects.filter(follower=alice, followee=bob).exists()
    response = web.post("/bob/follow")
    assert response.status_code == 403
    assert "blocked" in text(response)


# Fan-out runs when the post's transaction commits: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_streams_show_followed_posts_and_load_newer_by_since_id(alice, bob):
    web = Browser(alice)
    web.post("/bob/follow")
    first = create_post(bob, text="first from bob")
    page = text(web.get("/home"))
    assert "first from bob" in page
    newest = re.search(r"since_id=(\d+)", page).group(1)
    create_post(bob, text="second from bob")
    newer = web.get(f"/home?since_id={newest}", HTTP_HX_REQUEST="true")
    assert "second from bob" in text(newer) and "first from bob" not in text(newer)
    assert "<html" not in text(newer)  # only the new posts, for htmx to put on top
    create_post(bob, text="@alice a mention for you")
    assert "a mention for you" in text(web.get("/unified"))
    assert first.pk


def test_interactions_show_who_followed_and_starred(alice, bob):
    post = create_post(alice, text="star me")
    web = Browser(bob)
    web.post("/alice/follow")
    web.post(f"/alice/post/{post.pk}/star")
    page = text(Browser(alice).get("/interactions"))
    assert "followed you" in page and "starred" in page and 'href="/bob"' in page


def test_private_messages_inbox_and_conversation(alice, bob):
    web = Browser(alice)
    response = web.post("/messages", {"to": "bob", "text": "psst, bob"})
    assert response.status_code == 302
    conversation = response["Location"]
    assert Message.objects.get(user=alice).text == "psst, bob"
    bobs = Browser(bob)
    assert "psst, bob" in text(bobs.get("/messages"))
    assert "psst, bob" in text(bobs.get(conversation))
    assert bobs.post(conversation, {"text": "hi alice"}).status_code == 302
    assert "hi alice" in text(web.get(conversation))
    assert (
        Browser(User.objects.create_user("eve", password="x")).get(conversation).status_code == 404
    )


def test_editing_the_profile_and_its_avatar(alice):
    web = Browser(alice)
    avatar = SimpleUploadedFile("me.png", png(120, 120), content_type="image/png")
    response = web.post(
        "/settings/profile", {"name": "Alice A.", "bio": "I like #cats, ask @bob", "avatar": avatar}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.name == "Alice A." and alice.description_entities["hashtags"][0]["name"] == "cats"
    assert alice.avatar_url
    page = text(web.get("/alice"))
    assert 'href="/hashtags/cats"' in page and "Alice A." in page


def test_a_photo_is_attached_to_a_post(alice):
    web = Browser(alice)
    photo = SimpleUploadedFile("cat.png", png(300, 200), content_type="image/png")
    response = web.post("/compose", {"text": "my cat", "photo": photo})
    assert response.status_code == 302
    post = Post.objects.get(user=alice)
    assert post.annotations[0]["type"] == "net.app.core.oembed"
    page = text(web.get(response["Location"]))
    assert re.search(r'<img src="/files/content/[^"]+" alt="cat.png"', page)
    not_an_image = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = web.post("/compose", {"text": "broken", "photo": not_an_image})
    assert response.status_code == 400
    assert not Post.objects.filter(text="broken").exists()


def test_the_apps_page_lists_and_revokes_tokens(alice, token_for, oauth_app):
    token_for(alice)
    web = Browser(alice)
    assert "Test app" in text(web.get("/settings/apps"))
    assert web.post(f"/settings/apps/{oauth_app.pk}/revoke").status_code == 302
    assert not get_access_token_model().objects.filter(user=alice).exists()


def test_starring_through_the_web_is_seen_by_the_api(api, alice, bob, token_for):
    post = create_post(alice, text="seen by the api")
    Browser(bob).post(f"/alice/post/{post.pk}/star")
    body = api.get(f"/stream/0/posts/{post.pk}", token_for(bob)).json()
    assert body["data"]["you_starred"] is True
    assert Star.objects.filter(user=bob, post=post).exists()


def test_deleting_ones_own_post_leaves_a_410_page_and_others_cannot(alice, bob):
    post = create_post(alice, text="regrettable")
    response = Browser(bob).post(f"/alice/post/{post.pk}/delete")
    assert response.status_code == 403
    assert "only delete your own" in text(response)
    web = Browser(alice)
    assert web.post(f"/alice/post/{post.pk}/delete").status_code == 302
    assert web.get(f"/alice/post/{post.pk}").status_code == 410
