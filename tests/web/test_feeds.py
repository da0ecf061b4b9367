"""RSS and Atom feeds at App.net's paths: well-formed XML (a real XML parser reads them), one
item per visible post with absolute links, cached behind an ETag (a conditional GET is a 304)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from posts.services.posting import create_post, delete_post

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parsed(response) -> ElementTree.Element:
    assert response.status_code == 200, response.content[:300]
    return ElementTree.fromstring(response.content)  # raises on anything not well-formed


@pytest.fixture
def posts(alice, bob):
    made = [create_post(alice, text=f"post {n} #feedtag <b>&amp;</b>") for n in range(3)]
    gone = create_post(alice, text="deleted one #feedtag")
    delete_post(alice, gone.pk)
    create_post(bob, text="bob's #feedtag post")
    return made


@pytest.mark.parametrize("path", ["/feed/rss/users/@alice/posts", "/feed/rss/users/alice/posts"])
def test_a_users_rss_feed_has_one_item_per_post_with_absolute_links(client, posts, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parsed(response).find("channel")
    items = channel.findall("item")
    assert len(items) == 3
    links = [item.findtext("link") for item in items]
    assert links == [f"http://testserver/alice/post/{p.pk}" for p in reversed(posts)]
    assert channel.findtext("link") == "http://testserver/alice"
    # The text's markup is text in the feed: escaped in the description's html.
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in items[0].findtext("description")


def test_a_hashtags_rss_and_atom_feeds(client, posts):
    channel = parsed(client.get("/feed/rss/posts/tag/feedtag")).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert len(titles) == 4 and titles[0].startswith("@bob:")
    assert all("deleted one" not in title for title in titles)
    feed = parsed(client.get("/feed/atom/posts/tag/feedtag"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    assert parsed(client.get("/feed/atom/users/@alice/posts")).findall(f"{ATOM}entry")


def test_feeds_carry_an_etag_and_answer_a_conditional_get_with_304(client, posts):
    first = client.get("/feed/rss/users/@alice/posts")
    etag = first["ETag"]
    assert etag
    again = client.get("/feed/rss/users/@alice/posts", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_feeds_of_unknown_users_and_bad_tags_are_404(client, db):
    assert client.get("/feed/rss/users/@nobody/posts").status_code == 404
    assert client.get("/feed/rss/posts/tag/123").status_code == 404
