"""diaspora's notifications over the interactions rows: listing, read/unread, one by guid."""

from __future__ import annotations

import pytest

from posts.services.posting import create_post
from posts.services.stars import star, unstar
from users.services import graph

pytestmark = pytest.mark.django_db

NOTES = "/api/v1/notifications"


def test_notifications_list_read_and_unread(api, alice, bob, token_for):
    post = create_post(alice, text="hello")
    star(bob, post)
    graph.follow(bob, alice)
    token = token_for(alice, ["notifications"])
    response = api.get(NOTES, token)
    assert response.status_code == 200, response.content
    notes = response.json()
    assert [n["type"] for n in notes] == ["started_sharing", "liked"]
    liked = notes[1]
    assert liked["read"] is False
    assert liked["target"]["guid"] == post.guid
    assert liked["event_creators"][0]["guid"] == bob.guid
    assert notes[0]["target"] is None

    assert api.patch(f"{NOTES}/{liked['guid']}", token, data={"read": True}).status_code == 204
    assert api.get(f"{NOTES}/{liked['guid']}", token).json()["read"] is True
    unread = api.get(NOTES, token, only_unread="true").json()
    assert [n["type"] for n in unread] == ["started_sharing"]
    assert api.put(f"{NOTES}/{liked['guid']}", token, data={"read": False}).status_code == 204
    assert len(api.get(NOTES, token, only_unread="true").json()) == 2

    unstar(bob, post)
    assert [n["type"] for n in api.get(NOTES, token).json()] == ["started_sharing"]


def test_notification_errors(api, alice, bob, token_for):
    graph.follow(alice, bob)  # bob's notification, not alice's
    theirs = api.get(NOTES, token_for(bob, ["notifications"])).json()[0]["guid"]
    token = token_for(alice, ["notifications"])
    for guid in (theirs, "nope", "0" * 32):
        response = api.get(f"{NOTES}/{guid}", token)
        assert response.status_code == 404
        assert response.json()["message"] == "Notification with provided guid could not be found"
    response = api.patch(f"{NOTES}/{theirs}", token, data={"read": True})
    assert response.status_code == 404
    mine = api.get(NOTES, token_for(bob, ["notifications"])).json()[0]["guid"]
    bob_token = token_for(bob, ["notifications"])
    for body in ({}, {"read": "perhaps"}):
        response = api.patch(f"{NOTES}/{mine}", bob_token, data=body)
        assert response.status_code == 422, response.content
        assert response.json()["message"] == "Could not process the notifications request"
    assert api.get(NOTES, token_for(alice, ["basic"])).status_code == 403
    assert api.get(NOTES).status_code == 401
    assert api.get(NOTES, token, only_after="yesterday").status_code in (400, 422)
