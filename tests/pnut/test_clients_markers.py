"""pnut's clients (``clients/{id}``, ``users/{id}/clients``), stream markers (``POST markers``
with pnut's names), ``update_marker`` on a new post, and ``count`` as pnut reads it."""

from __future__ import annotations

import pytest

from adn_api.oauth.tokens import create_app, issue_token
from streams.models import StreamMarker

from .support import V1, data_of, error_of, meta_of

pytestmark = pytest.mark.django_db


def post(api, token, text="a post", **params):
    return data_of(api.post(f"{V1}/posts", token, data={"text": text}, **params), 201)


def markers_of(user) -> list[tuple]:
    return list(
        StreamMarker.objects.filter(user=user)
        .order_by("name")
        .values_list("name", "post_id", "last_read_id", "percentage")
    )


# --- clients ---------------------------------------------------------------------------------


def test_a_client_shows_its_maker_link_and_posts(api, alice, bob, tokens):
    app, _ = create_app("Alice's app", owner=alice, link="https://alice.example.com")
    token = issue_token(alice, app, ["basic", "write_post"])
    post(api, token, "made with alice's app")
    post(api, token, "and another")
    post(api, tokens["alice"], "made with the test app")
    client = data_of(api.get(f"{V1}/clients/{app.client_id}", tokens["bob"]))
    assert (client["id"], client["name"], client["url"]) == (
        app.client_id,
        "Alice's app",
        "https://alice.example.com",
    )
    assert client["posts"] == 2 and client["user"]["username"] == "alice"
    assert client["user"]["counts"]["clients"] == 1
    user = data_of(api.get(f"{V1}/users/{alice.pk}", tokens["bob"]))
    assert user["counts"]["clients"] == 1


def test_a_users_clients_newest_first_in_a_constant_number_of_queries(
    api, alice, bob, tokens, django_assert_num_queries
):
    for n in range(3):
        create_app(f"app {n}", owner=alice, link=f"https://{n}.example.com")
    create_app("bob's", owner=bob)
    path = f"{V1}/users/{alice.pk}/clients"
    with django_assert_num_queries(3):  # the token, the user, the clients with their links
        listed = data_of(api.get(path, tokens["bob"]))
    assert listed == [
        {"id": listed[i]["id"], "name": f"app {n}", "url": f"https://{n}.example.com"}
        for i, n in enumerate((2, 1, 0))
    ]
    for n in range(3, 30):
        create_app(f"app {n}", owner=alice)
    with django_assert_num_queries(3):
        assert len(data_of(api.get(path, tokens["bob"]))) == 30
    assert data_of(api.get(f"{V1}/users/{bob.pk}/clients", tokens["alice"]))[0]["name"] == "bob's"


def test_clients_need_a_token_and_an_unknown_one_is_404(api, alice, tokens, oauth_app):
    error_of(api.get(f"{V1}/clients/{oauth_app.client_id}"), 401)
    error_of(api.get(f"{V1}/clients/no-such-client", tokens["alice"]), 404)
    error_of(api.get(f"{V1}/users/999999/clients", tokens["alice"]), 404)
    error_of(api.get(f"{V1}/users/{alice.pk}/clients"), 401)


# --- markers ---------------------------------------------------------------------------------


def test_markers_take_pnuts_names_and_show_them_on_the_streams(api, alice, tokens):
    first, second = post(api, tokens["alice"]), post(api, tokens["alice"])
    saved = data_of(
        api.post(
            f"{V1}/markers",
            tokens["alice"],
            data=[
                {"name": "personal", "id": second["id"], "percentage": 40},
                {"name": "global", "id": first["id"]},
            ],
        )
    )
    assert [(m["name"], m["id"], m["percentage"]) for m in saved] == [
        ("personal", second["id"], 40),
        ("global", first["id"], 0),
    ]
    # pnut's "personal" is the personal and the unified stream's marker.
    for stream in ("me", "unified"):
        marker = meta_of(api.get(f"{V1}/posts/streams/{stream}", tokens["alice"]))["marker"]
        assert (marker["name"], marker["id"]) == ("personal", second["id"])
    # One marker, whichever dialect moved it: App.net calls it my_stream.
    adn = api.get("/stream/0/posts/stream", tokens["alice"]).json()["meta"]["marker"]
    assert (adn["name"], adn["id"]) == ("my_stream", second["id"])
    back = data_of(
        api.post(f"{V1}/markers", tokens["alice"], data=[{"name": "personal", "id": first["id"]}])
    )
    assert back[0]["last_read_id"] == second["id"]  # only forward, unless reset_read_id
    reset = data_of(
        api.post(
            f"{V1}/markers?reset_read_id=1",
            tokens["alice"],
            data=[{"name": "personal", "id": first["id"]}],
        )
    )
    assert reset[0]["last_read_id"] == first["id"]


def test_a_channel_marker_marks_the_channel_read(api, alice, bob, tokens):
    sent = data_of(
        api.post(
            f"{V1}/channels/pm/messages",
            tokens["alice"],
            data={"text": "hi", "destinations": [str(bob.pk)]},
        ),
        201,
    )
    name = f"channel:{sent['channel_id']}"
    (marker,) = data_of(
        api.post(f"{V1}/markers", tokens["bob"], data=[{"name": name, "id": sent["id"]}])
    )
    assert marker["name"] == name
    channel = data_of(api.get(f"{V1}/channels/{sent['channel_id']}", tokens["bob"]))
    assert channel["has_unread"] is False


@pytest.mark.parametrize(
    "body",
    [
        [{"name": "my_stream", "id": "1"}],  # App.net's name, not pnut's
        [{"name": "unified", "id": "1"}],
        [{"name": "personal", "id": "x"}],
        [{"name": "personal", "id": "1", "percentage": 101}],
        [{"name": "personal", "id": "1"}, {"name": "bogus", "id": "1"}],
        [{"name": ["personal"], "id": "1"}],
        [{"name": "channel:999999", "id": "1"}],
        [{"name": "global", "id": "1"}] * 11,  # at most ten at once
        [],
        "personal",
    ],
)
def test_bad_markers_are_400_or_404_and_save_nothing(api, alice, tokens, body):
    made = post(api, tokens["alice"])
    data_of(api.post(f"{V1}/markers", tokens["alice"], data=[{"name": "global", "id": made["id"]}]))
    before = markers_of(alice)
    response = api.post(f"{V1}/markers", tokens["alice"], data=body)
    error_of(response, 404 if "channel:999999" in str(body) else 400)
    assert markers_of(alice) == before


def test_update_marker_on_a_new_post_moves_the_personal_marker(api, alice, tokens):
    made = post(api, tokens["alice"], "marked", update_marker=1)
    marker = meta_of(api.get(f"{V1}/posts/streams/me", tokens["alice"]))["marker"]
    assert (marker["name"], marker["id"]) == ("personal", made["id"])
    post(api, tokens["alice"], "not marked")
    assert markers_of(alice) == [("my_stream", int(made["id"]), int(made["id"]), 0)]
    before = markers_of(alice)
    error_of(api.post(f"{V1}/posts", tokens["alice"], data={"text": ""}, update_marker=1), 400)
    assert markers_of(alice) == before


# --- count -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", ["abc", "0", "201", "-201", "1.5", "99999999999999"])
def test_pnut_ignores_a_count_it_cannot_use(api, alice, tokens, count):
    made = [post(api, tokens["alice"], f"post {n}") for n in range(22)]
    page = data_of(api.get(f"{V1}/posts/streams/global", count=count))
    assert [p["id"] for p in page] == [p["id"] for p in reversed(made)][:20]  # the default
    # App.net refuses what is no integer (and clamps one out of range).
    adn = api.get("/stream/0/posts/stream/global", count=count)
    assert adn.status_code == (200 if count.lstrip("-") == "201" else 400)


def test_pnut_takes_counts_within_its_range(api, alice, tokens):
    made = [post(api, tokens["alice"], f"post {n}") for n in range(5)]
    assert len(data_of(api.get(f"{V1}/posts/streams/global", count=3))) == 3
    oldest = data_of(api.get(f"{V1}/posts/streams/global", count=-2))
    assert [p["id"] for p in oldest] == [made[1]["id"], made[0]["id"]]


def test_update_marker_on_a_new_message_moves_the_channels_marker(api, alice, bob, tokens):
    first = data_of(
        api.post(
            f"{V1}/channels/pm/messages",
            tokens["alice"],
            data={"text": "hi", "destinations": [str(bob.pk)]},
        ),
        201,
    )
    name = f"channel:{first['channel_id']}"
    path = f"{V1}/channels/{first['channel_id']}/messages"
    said = data_of(api.post(path, tokens["alice"], data={"text": "marked"}, update_marker=1), 201)
    assert meta_of(api.get(path, tokens["alice"]))["marker"]["id"] == said["id"]
    data_of(api.post(path, tokens["alice"], data={"text": "not marked"}), 201)
    assert markers_of(alice) == [(name, int(said["id"]), int(said["id"]), 0)]
    error_of(api.post(path, tokens["alice"], data={"text": ""}, update_marker=1), 400)
    assert markers_of(alice) == [(name, int(said["id"]), int(said["id"]), 0)]
