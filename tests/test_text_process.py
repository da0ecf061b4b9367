"""The text processor: the text, html and entities a post would get, nothing saved."""

import pytest

from posts.models import Post


def process(api, token, body):
    return api.post("/stream/0/text/process", token, data=body)


def test_text_processor_matches_the_docs_example(api, make_user, token_for):
    voidfiles = make_user("voidfiles")
    token = token_for(make_user("alice"))
    response = process(
        api, token, {"text": "This is #awesome tell @voidfiles about http://google.com"}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["text"] == "This is #awesome tell @voidfiles about http://google.com"
    assert data["entities"]["hashtags"] == [{"name": "awesome", "pos": 8, "len": 8}]
    assert data["entities"]["links"] == [
        {"text": "http://google.com", "url": "http://google.com", "pos": 39, "len": 17}
    ]
    [mention] = data["entities"]["mentions"]
    assert (mention["id"], mention["name"], mention["pos"], mention["len"]) == (
        str(voidfiles.pk),
        "voidfiles",
        22,
        10,
    )
    assert data["html"].startswith('<span itemscope="https://app.net/schemas/Post">This is ')
    assert f'data-mention-id="{voidfiles.pk}"' in data["html"]
    assert Post.objects.count() == 0


def test_text_processor_applies_markdown_and_anti_phishing(api, make_user, token_for):
    token = token_for(make_user("alice"))
    data = process(
        api,
        token,
        {
            "text": "I love [this website](http://alpha.app.net)!",
            "entities": {"parse_markdown_links": True},
        },
    ).json()["data"]
    assert data["text"] == "I love this website [alpha.app.net]!"
    [link] = data["entities"]["links"]
    assert (link["pos"], link["len"], link["amended_len"]) == (7, 12, 28)


def test_text_processor_accepts_app_tokens(api, token_for):
    assert process(api, token_for(None), {"text": "hello"}).status_code == 200


def test_text_processor_needs_a_token(api, db):
    assert process(api, None, {"text": "hello"}).status_code == 401


@pytest.mark.parametrize(
    "body, message",
    [
        ({"text": "x" * 257}, "limit is 256"),
        ({"text": 12}, "must be a string"),
        ({"text": ["a"]}, "must be a string"),
        ({}, "text is required"),
        ({"text": "a\u0000b"}, "NUL"),
        ({"text": "hi", "entities": "links"}, "entities must be an object"),
        ({"text": "hi", "entities": {"links": "x"}}, "entities.links must be a list"),
        ({"text": "hi", "entities": {"links": [{"pos": 0, "len": 99, "url": "http://a.com"}]}}, ""),
        ({"text": "hi", "entities": {"links": [{"pos": 0, "len": 2, "url": "javascript:x"}]}}, ""),
        ({"text": "hi", "entities": {"parse_markdown_links": "maybe"}}, "parse_markdown_links"),
    ],
)
def test_bad_input_to_the_text_processor_is_an_enveloped_400(
    api, make_user, token_for, body, message
):
    response = process(api, token_for(make_user("alice")), body)
    assert response.status_code == 400
    meta = response.json()["meta"]
    assert meta["code"] == 400 and message in meta["error_message"]


def test_a_list_body_is_refused(api, make_user, token_for):
    assert process(api, token_for(make_user("alice")), ["text"]).status_code == 400
