"""Property-based tests: invariants of parse_text over arbitrary text."""

import html as html_lib
import os
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from entities import core, detect
from entities.core import EntityError, parse_text, render_html

USERS = {"berg": (2, "berg"), "a": (3, "A"), "x_1": (4, "X_1")}

# Characters that matter to the parser, plus letters of several scripts, a
# combining mark, emoji (astral, with modifiers and ZWJ) and whitespace.
CHARS = (
    list("@#[]().:/<>&\"' \n\r\t-_?=!,;%{}|\\`~$+*^")
    + list("abxyzBERG019")
    + [
        "é",
        "日",
        "ж",
        "\u0301",  # combining acute
        "\u093f",  # Devanagari vowel sign
        "\u200d",  # zero width joiner
        "\ufe0f",  # variation selector
        "\u202e",  # right-to-left override
        "😀",
        "👍🏽",
        "🇯🇵",
        "\u00a0",
        "\u3000",
        "＃",  # full-width number sign and at sign
        "＠",
        "\u200c",  # zero width non-joiner
        "・",
        "ー",
        "中",
        "\u2066",  # left-to-right isolate
    ]
)
TOKENS = [
    "http://",
    "https://",
    "HTTP://",
    "ftp://",
    "javascript:",
    "mailto:",
    "www.",
    ".com",
    ".net",
    ".io",
    "example",
    "app.net",
    "example.com/a_(b)",
    "@berg",
    "@BERG",
    "@a",
    "@x_1",
    "#tag",
    "#123",
    "#日本",
    "[x](http://a.example)",
    '[<b>](https://b.example/"q)',
    "[y](javascript:alert(1))",
    "](",
    "{post_id}",
    "<script>",
    "&amp;",
]

texts = st.lists(st.one_of(st.sampled_from(CHARS), st.sampled_from(TOKENS)), max_size=40).map(
    "".join
) | st.text(max_size=60)

options = st.fixed_dictionaries(
    {
        "parse_markdown_links": st.booleans(),
        "parse_links": st.sampled_from([None, True, False]),
    }
)

# ENTITIES_EXAMPLES=20000 for a long bug hunt.
SETTINGS = settings(
    max_examples=int(os.environ.get("ENTITIES_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def visible_text(markup: str) -> str:
    """What a browser shows: tags removed, <br> as newline, entities decoded."""
    assert markup.startswith('<span itemscope="https://app.net/schemas/Post">')
    assert markup.endswith("</span>")
    return html_lib.unescape(re.sub(r"<[^>]*>", "", markup.replace("<br>", "\n")))


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag != "br":
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        assert self.depth >= 0


ALLOWED = {
    "span": {"itemscope", "itemprop", "data-mention-id", "data-mention-name", "data-hashtag-name"},
    "a": {"href"},
    "br": set(),
}


def check_invariants(parsed, *, original=None):
    text, entities = parsed.text, parsed.entities
    assert set(entities) == {"mentions", "hashtags", "links"}

    ranges = []
    for m in entities["mentions"]:
        assert set(m) == {"name", "id", "pos", "len", "is_leading"}
        shown = text[m["pos"] : m["pos"] + m["len"]].lower()
        assert shown[0] in "@＠" and shown[1:] == m["name"].lower()
        assert m["len"] == len(m["name"]) + 1
        assert isinstance(m["id"], str)
        assert m["is_leading"] == (text[: m["pos"]].strip() == "")
        ranges.append((m["pos"], m["len"]))
    for h in entities["hashtags"]:
        assert set(h) == {"name", "pos", "len"}
        shown = text[h["pos"] : h["pos"] + h["len"]]
        assert shown[0] in "#＃" and shown[1:] == h["name"]
        assert not h["name"].isnumeric()
        ranges.append((h["pos"], h["len"]))
    for link in entities["links"]:
        assert set(link) <= {"text", "url", "pos", "len", "amended_len", "process_template"}
        assert text[link["pos"] : link["pos"] + link["len"]] == link["text"]
        assert link["len"] >= 1
        parts = urlsplit(link["url"])
        assert parts.scheme.lower() in ("http", "https") and parts.hostname
        assert not re.search(r"[\s\"<>]", link["url"])
        if "amended_len" in link:
            added = text[link["pos"] + link["len"] : link["pos"] + link["amended_len"]]
            assert added == f" [{parts.hostname}]"
            ranges.append((link["pos"], link["amended_len"]))
        else:
            ranges.append((link["pos"], link["len"]))

    # Inside the text and never overlapping (adjacent is fine).
    ranges.sort()
    end = 0
    for pos, length in ranges:
        assert pos >= end and length >= 1
        end = pos + length
    assert end <= len(text)
    assert parsed.counted_length <= len(text)

    # Without markdown the text is the input plus anti-phishing amendments only.
    if original is not None:
        stripped = text
        for link in sorted(entities["links"], key=lambda e: -e["pos"]):
            if "amended_len" in link:
                cut_from = link["pos"] + link["len"]
                stripped = stripped[:cut_from] + stripped[link["pos"] + link["amended_len"] :]
        assert stripped == original
        assert parsed.counted_length == len(original)

    # The html shows exactly the text, and carries no markup but ours.
    assert visible_text(parsed.html) == text
    tags = Tags()
    tags.feed(parsed.html)
    tags.close()
    assert tags.depth == 0
    for tag, attrs in tags.tags:
        assert tag in ALLOWED and set(attrs) <= ALLOWED[tag]
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://"))
    assert len([t for t, _ in tags.tags if t == "a"]) == len(entities["links"])
    assert parsed.html == render_html(text, entities)


@SETTINGS
@given(text=texts, opts=options)
@example(text="@berg FIRST post on this new site #newsocialnetwork", opts={})
@example(text="👉http://x.com/😀 #日本語 @BERG's", opts={})
@example(
    text="[a](http://a.example)[b](https://b.example/x_(y))", opts={"parse_markdown_links": True}
)
def test_detected_entities_are_consistent_with_the_text(text, opts):
    parsed = parse_text(text, known_users=USERS, **opts)
    check_invariants(parsed, original=None if opts.get("parse_markdown_links") else text)


@SETTINGS
@given(text=texts)
@example(text='\u202ahttp://x.com/a\u202c \u2066y.org/"q\u2069')
def test_detected_urls_need_no_encoding_and_hold_no_whitespace(text):
    """entities.detect hands its urls out without core._clean_url: its classes must never
    take a character that needs encoding in an href."""
    for start, end, url in detect.find_urls(text):
        assert not re.search(r"\s", text[start:end])
        if url is not None:
            assert core._clean_url(url) == url
            assert url.endswith(text[start:end].split("://", 1)[-1])


@st.composite
def text_with_links(draw):
    text = draw(texts.filter(bool))
    n = len(text)
    links = []
    for _ in range(draw(st.integers(0, 3))):
        pos = draw(st.integers(-1, n))
        length = draw(st.integers(0, n + 1))
        url = draw(
            st.sampled_from(
                [
                    "https://a.example/x",
                    "http://B.example",
                    "https://c.example/{post_id}",
                    'https://user@d.example/"<>',
                    "javascript:alert(1)",
                    "https://",
                ]
            )
        )
        links.append({"pos": pos, "len": length, "url": url})
    return text, links


@SETTINGS
@given(case=text_with_links(), parse_links=st.sampled_from([None, True, False]))
def test_client_links_are_either_rejected_or_consistent(case, parse_links):
    text, links = case
    try:
        parsed = parse_text(text, known_users=USERS, links=links, parse_links=parse_links)
    except EntityError as error:
        assert str(error).startswith("entities.links")
        return
    check_invariants(parsed, original=text)
    assert len(parsed.entities["links"]) >= len(links)


@SETTINGS
@given(text=texts)
def test_mention_candidates_cover_every_mention(text):
    names = core.mention_candidates(text)
    assert all(name == name.lower() for name in names)
    everyone = {name: (i, name) for i, name in enumerate(sorted(names))}
    for markdown in (False, True):
        parsed = parse_text(text, known_users=everyone, parse_markdown_links=markdown)
        assert {m["name"] for m in parsed.entities["mentions"]} <= names


@SETTINGS
@given(
    url=st.tuples(
        st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "http:", "javascript:"]),
        st.text(
            alphabet=st.sampled_from(list("abcXYZ019.-_@:/?#[]%\\<>\"'~") + ["é", "日", "😀"]),
            max_size=25,
        ),
    ).map("".join)
)
def test_http_host_shortcut_agrees_with_urlsplit(url):
    assert core._http_host(url) == core._urlsplit_host(url)
