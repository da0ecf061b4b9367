"""Behaviour of entities.core on the cases that break naive parsers."""

from html.parser import HTMLParser

import pytest

from entities.core import (
    EntityError,
    fill_uri_templates,
    mention_candidates,
    parse_text,
    render_html,
    shift_entities,
)

USERS = {
    "berg": (2, "berg"),
    "dalton": (5, "Dalton"),
    "voidfiles": (3, "voidfiles"),
}
OPEN = '<span itemscope="https://app.net/schemas/Post">'


def parse(text, **kwargs):
    kwargs.setdefault("known_users", USERS)
    return parse_text(text, **kwargs)


def spans(parsed, kind):
    return [parsed.text[e["pos"] : e["pos"] + e["len"]] for e in parsed.entities[kind]]


def links(parsed):
    return [(e["text"], e["url"]) for e in parsed.entities["links"]]


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html):
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def assert_only_safe_markup(html):
    allowed = {
        "span": {
            "itemscope",
            "itemprop",
            "data-mention-id",
            "data-mention-name",
            "data-hashtag-name",
        },
        "a": {"href"},
        "br": set(),
    }
    for tag, attrs in tags_of(html):
        assert tag in allowed, tag
        assert set(attrs) <= allowed[tag], attrs
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://"))


# --- offsets in code points ------------------------------------------------------------


def test_emoji_before_entities_count_as_one_code_point_each():
    parsed = parse("😀😀 @berg #tag http://x.com")
    assert parsed.entities["mentions"][0]["pos"] == 3
    assert parsed.entities["hashtags"][0]["pos"] == 9
    assert parsed.entities["links"][0]["pos"] == 14
    assert spans(parsed, "mentions") == ["@berg"]
    assert spans(parsed, "hashtags") == ["#tag"]
    assert spans(parsed, "links") == ["http://x.com"]


def test_astral_letters_skin_tones_flags_and_zwj_sequences_before_entities():
    text = "𝕳𝖊𝖑𝖑𝖔 👍🏽 🇯🇵 👨‍👩‍👧 #tag @berg"
    parsed = parse(text)
    assert parsed.entities["hashtags"] == [{"name": "tag", "pos": text.index("#tag"), "len": 4}]
    # 👍🏽 is 2 code points, 🇯🇵 2, 👨‍👩‍👧 5: pos is a Python str index.
    assert parsed.entities["hashtags"][0]["pos"] == 5 + 1 + 2 + 1 + 2 + 1 + 5 + 1


def test_emoji_glued_to_a_url_does_not_hide_it():
    parsed = parse("👉http://example.com/a 🔥")
    assert parsed.entities["links"] == [
        {"text": "http://example.com/a", "url": "http://example.com/a", "pos": 1, "len": 20}
    ]


# --- links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see http://example.com/foo.", "http://example.com/foo"),
        ("see http://example.com/foo, ok", "http://example.com/foo"),
        ("wow http://example.com/foo!", "http://example.com/foo"),
        ("really http://example.com/foo?", "http://example.com/foo"),
        ("(see http://example.com/foo)", "http://example.com/foo"),
        ('"http://example.com/foo"', "http://example.com/foo"),
        ("ends with http://example.com...", "http://example.com"),
    ],
)
def test_trailing_punctuation_is_not_part_of_a_url(text, expected):
    assert spans(parse(text), "links") == [expected]


def test_balanced_parentheses_stay_in_a_url():
    parsed = parse("(see http://en.wikipedia.org/wiki/Foo_(bar))")
    assert links(parsed) == [
        ("http://en.wikipedia.org/wiki/Foo_(bar)", "http://en.wikipedia.org/wiki/Foo_(bar)")
    ]


def test_bare_domains_get_http_and_keep_their_text():
    parsed = parse("try app.net, pnut.io and example.com/path.")
    assert links(parsed) == [
        ("app.net", "http://app.net"),
        ("pnut.io", "http://pnut.io"),
        ("example.com/path", "http://example.com/path"),
    ]
    assert all("amended_len" not in e for e in parsed.entities["links"])


def test_words_with_dots_are_not_domains():
    for text in ("e.g. this", "end. Start", "version 1.2.3", "file.txt", "a.b.c"):
        assert parse(text).entities["links"] == [], text


def test_email_address_is_neither_a_link_nor_a_mention():
    parsed = parse("mail me@berg.com or berg@example.org")
    assert parsed.entities == {"mentions": [], "hashtags": [], "links": []}


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "click javascript:alert(document.cookie)//example.com",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file.txt",
        "mailto:someone@example.com",
        "//example.com/protocol-relative",
        "vbscript:msgbox(1)",
    ],
)
def test_only_http_and_https_urls_become_links(text):
    parsed = parse(text)
    assert all(e["url"].startswith(("http://", "https://")) for e in parsed.entities["links"])
    assert all(
        not e["text"].startswith(("javascript", "data", "ftp", "mailto", "//", "vb"))
        for e in parsed.entities["links"]
    )
    assert_only_safe_markup(parsed.html)


def test_hashtag_and_mention_inside_a_url_belong_to_the_url():
    parsed = parse("http://example.com/#tag and http://example.com/@berg")
    assert parsed.entities["hashtags"] == []
    assert parsed.entities["mentions"] == []
    assert len(parsed.entities["links"]) == 2


def test_url_spans_block_hashtags_even_when_link_detection_is_off():
    parsed = parse("see example.com/#frag", links=[])
    assert parsed.entities == {"mentions": [], "hashtags": [], "links": []}


def test_supplied_links_switch_off_detection_unless_parse_links():
    assert parse("see example.com here", links=[]).entities["links"] == []
    assert links(parse("see example.com here", links=[], parse_links=True)) == [
        ("example.com", "http://example.com")
    ]
    assert parse("see example.com here", parse_links=False).entities["links"] == []


def test_uri_template_in_detected_url_is_kept_for_filling():
    parsed = parse("photo: photos.app.net/{post_id}/1")
    assert links(parsed) == [("photos.app.net/{post_id}/1", "http://photos.app.net/{post_id}/1")]
    filled = fill_uri_templates(parsed.entities, post_id=123)
    assert filled["links"][0]["url"] == "http://photos.app.net/123/1"
    assert filled["links"][0]["text"] == "photos.app.net/{post_id}/1"
    assert parsed.entities["links"][0]["url"] == "http://photos.app.net/{post_id}/1"  # untouched
    assert 'href="http://photos.app.net/123/1"' in render_html(parsed.text, filled)


def test_fill_uri_templates_passes_unknown_variables_and_respects_process_template():
    parsed = parse(
        "one two",
        links=[
            {"pos": 0, "len": 3, "url": "https://x.com/{message_id}/{other}"},
            {"pos": 4, "len": 3, "url": "https://x.com/{message_id}", "process_template": False},
        ],
    )
    assert parsed.entities["links"][1]["process_template"] is False
    filled = fill_uri_templates(parsed.entities, message_id=77)
    assert [link["url"] for link in filled["links"]] == [
        "https://x.com/77/{other}",
        "https://x.com/{message_id}",
    ]
    assert all("process_template" not in link for link in filled["links"])


# --- client links ----------------------------------------------------------------------


def test_client_link_covering_a_mention_wins():
    parsed = parse("hello @berg", links=[{"pos": 0, "len": 11, "url": "https://x.com"}])
    assert parsed.entities["mentions"] == []
    assert parsed.text == "hello @berg [x.com]"


def test_client_link_next_to_a_mention_keeps_both():
    parsed = parse("hello @berg", links=[{"pos": 0, "len": 5, "url": "https://x.com"}])
    assert spans(parsed, "mentions") == ["@berg"]
    assert parsed.text == "hello [x.com] @berg"
    assert parsed.entities["mentions"][0]["pos"] == 14


def test_client_link_over_a_detected_url_replaces_it():
    parsed = parse(
        "go http://evil.example now",
        links=[{"pos": 3, "len": 19, "url": "https://good.example"}],
        parse_links=True,
    )
    assert links(parsed) == [("http://evil.example", "https://good.example")]
    assert parsed.text == "go http://evil.example [good.example] now"


def test_anchor_text_showing_another_domain_is_amended():
    parsed = parse("paypal.com", links=[{"pos": 0, "len": 10, "url": "https://evil.example/x"}])
    assert parsed.text == "paypal.com [evil.example]"
    assert parsed.entities["links"][0]["amended_len"] == 25


def test_userinfo_trick_is_amended_with_the_real_host():
    parsed = parse(
        "paypal.com@evil.example",
        links=[{"pos": 0, "len": 23, "url": "http://paypal.com@evil.example"}],
    )
    assert parsed.text == "paypal.com@evil.example [evil.example]"


def test_anchor_text_showing_its_own_domain_is_not_amended():
    parsed = parse(
        "read https://blog.app.net/post please",
        links=[{"pos": 5, "len": 25, "url": "https://blog.app.net/post"}],
    )
    assert parsed.text == "read https://blog.app.net/post please"
    assert "amended_len" not in parsed.entities["links"][0]


def test_adjacent_client_links_are_allowed():
    parsed = parse(
        "abcd",
        links=[
            {"pos": 2, "len": 2, "url": "https://b.example"},
            {"pos": 0, "len": 2, "url": "https://a.example"},
        ],
    )
    assert parsed.text == "ab [a.example]cd [b.example]"
    assert [(e["pos"], e["len"], e["amended_len"]) for e in parsed.entities["links"]] == [
        (0, 2, 14),
        (14, 2, 14),
    ]


def test_client_link_text_that_matches_is_accepted():
    parsed = parse("I love it", links=[{"pos": 7, "len": 2, "url": "https://x.com", "text": "it"}])
    assert parsed.entities["links"][0]["text"] == "it"


@pytest.mark.parametrize(
    ("links_value", "message"),
    [
        ({"pos": 0}, "must be a list"),
        ("nope", "must be a list"),
        (["nope"], r"entities.links\[0\] must be an object"),
        ([{"len": 1, "url": "https://x.com"}], r"entities.links\[0\] needs pos and len"),
        ([{"pos": "0", "len": 1, "url": "https://x.com"}], r"links\[0\]\.pos must be an integer"),
        ([{"pos": True, "len": 1, "url": "https://x.com"}], r"pos must be an integer"),
        ([{"pos": 0, "len": 1.5, "url": "https://x.com"}], r"len must be an integer"),
        ([{"pos": -1, "len": 1, "url": "https://x.com"}], "outside the text"),
        ([{"pos": 0, "len": 0, "url": "https://x.com"}], "outside the text"),
        ([{"pos": 3, "len": 9, "url": "https://x.com"}], "outside the text, which is 9"),
        ([{"pos": 0, "len": 2}], r"url is required"),
        ([{"pos": 0, "len": 2, "url": 5}], r"url is required"),
        ([{"pos": 0, "len": 2, "url": "javascript:alert(1)"}], "http:// or https://"),
        ([{"pos": 0, "len": 2, "url": "data:text/html,hi"}], "http:// or https://"),
        ([{"pos": 0, "len": 2, "url": "ftp://x.com/a"}], "http:// or https://"),
        ([{"pos": 0, "len": 2, "url": "/relative"}], "http:// or https://"),
        ([{"pos": 0, "len": 2, "url": "https://"}], "with a valid host"),
        ([{"pos": 0, "len": 2, "url": "https://a<b>c.example/"}], "with a valid host"),
        ([{"pos": 0, "len": 2, "url": "https://x.com/a b"}], "whitespace"),
        ([{"pos": 0, "len": 2, "url": "https://x.com", "text": "nope"}], "does not match"),
        ([{"pos": 0, "len": 2, "url": "https://x.com", "process_template": "no"}], "true or false"),
        (
            [
                {"pos": 0, "len": 4, "url": "https://x.com"},
                {"pos": 3, "len": 2, "url": "https://y.com"},
            ],
            r"links\[0\] and entities.links\[1\] overlap",
        ),
        (
            [{"pos": 0, "len": 4, "url": "https://x.com"}],
            "partially overlaps the hashtag '#tagged'",
        ),
    ],
)
def test_malformed_client_links_raise_entity_error(links_value, message):
    with pytest.raises(EntityError, match=message):
        parse("#tagged ok", links=links_value) if "#tagged" in message else parse(
            "some text", links=links_value
        )


def test_entity_error_is_a_value_error():
    assert issubclass(EntityError, ValueError)


def test_client_link_cutting_a_mention_is_an_error():
    with pytest.raises(EntityError, match="partially overlaps the mention '@berg'"):
        parse("hi @berg", links=[{"pos": 4, "len": 4, "url": "https://x.com"}])


def test_client_link_cutting_an_unknown_name_is_fine():
    parsed = parse("hi @nobody", links=[{"pos": 4, "len": 6, "url": "https://x.com"}])
    assert spans(parsed, "links") == ["nobody"]


# --- markdown --------------------------------------------------------------------------


def test_markdown_link_is_replaced_by_its_anchor_and_amended():
    parsed = parse("read [the docs](https://docs.example.org/a_(b)) now", parse_markdown_links=True)
    assert parsed.text == "read the docs [docs.example.org] now"
    assert parsed.entities["links"] == [
        {
            "text": "the docs",
            "url": "https://docs.example.org/a_(b)",
            "pos": 5,
            "len": 8,
            "amended_len": 27,
        }
    ]


def test_markdown_is_left_alone_without_the_flag():
    parsed = parse("read [the docs](https://docs.example.org) now")
    assert parsed.text == "read [the docs](https://docs.example.org) now"
    assert spans(parsed, "links") == ["https://docs.example.org"]


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](data:text/html,hi)",
        "[click](ftp://example.com/)",
        "[click](/relative/path)",
        "[ ](https://example.com)",
    ],
)
def test_markdown_with_a_non_http_url_stays_literal(text):
    parsed = parse(text, parse_markdown_links=True)
    assert parsed.text == text
    assert all(e["text"] != "click" for e in parsed.entities["links"])
    assert_only_safe_markup(parsed.html)


def test_adjacent_markdown_links():
    parsed = parse("[a](http://a.example)[b](http://b.example)", parse_markdown_links=True)
    assert parsed.text == "a [a.example]b [b.example]"
    assert [(e["pos"], e["len"]) for e in parsed.entities["links"]] == [(0, 1), (13, 1)]


def test_markdown_anchor_containing_a_mention_and_hashtag_is_only_a_link():
    parsed = parse("[@berg #tag](https://x.example)", parse_markdown_links=True)
    assert parsed.entities["mentions"] == []
    assert parsed.entities["hashtags"] == []
    assert parsed.text == "@berg #tag [x.example]"


def test_markdown_anchor_showing_a_different_url_is_amended():
    parsed = parse("[http://good.example](http://evil.example)", parse_markdown_links=True)
    assert parsed.text == "http://good.example [evil.example]"
    assert links(parsed) == [("http://good.example", "http://evil.example")]


# --- mentions --------------------------------------------------------------------------


def test_unknown_names_are_not_mentions():
    parsed = parse("@nobody hi @berg")
    assert spans(parsed, "mentions") == ["@berg"]
    assert parsed.entities["mentions"][0]["is_leading"] is False
    assert "@nobody" in parsed.html and 'data-mention-name="nobody"' not in parsed.html


def test_mention_name_is_the_canonical_username_whatever_the_case_typed():
    parsed = parse("@BERG and @dalton")
    assert [(m["name"], m["id"]) for m in parsed.entities["mentions"]] == [
        ("berg", "2"),
        ("Dalton", "5"),
    ]
    assert spans(parsed, "mentions") == ["@BERG", "@dalton"]


def test_leading_mentions():
    assert [m["is_leading"] for m in parse("@berg @dalton hi").entities["mentions"]] == [
        True,
        False,
    ]
    assert parse("  @berg hi").entities["mentions"][0]["is_leading"] is True
    assert parse("hi @berg").entities["mentions"][0]["is_leading"] is False


@pytest.mark.parametrize(
    "text",
    [
        "me@berg",
        "@berg@mastodon.social",
        "@@berg",
        "@" + "b" * 21,
        "_@berg",
    ],
)
def test_things_that_are_not_mentions(text):
    assert (
        parse(text, known_users={"berg": (2, "berg"), "b" * 20: (9, "b" * 20)}).entities["mentions"]
        == []
    )


def test_mentions_around_punctuation():
    parsed = parse("(@berg), @berg's @berg. @berg!")
    assert spans(parsed, "mentions") == ["@berg"] * 4


def test_mention_candidates_lower_cases_every_mention_shaped_name():
    assert mention_candidates("@Berg @nobody me@x.com @dalton@host [@Void](http://x.com)") == {
        "berg",
        "nobody",
        "void",
    }
    assert mention_candidates("no mentions") == set()


# --- hashtags --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("#123 #2024", []),
        ("#1st #_ #a1", ["1st", "_", "a1"]),
        ("#日本語 #привет #ελληνικά #café", ["日本語", "привет", "ελληνικά", "café"]),
        ("#हिन्दी #ภาษาไทย", ["हिन्दी", "ภาษาไทย"]),  # combining vowel signs stay in the name
        ("C# foo#bar ##double @#at &#39;", []),
        ("#tag. #tag, (#tag) #tag!", ["tag", "tag", "tag", "tag"]),
        ("#️⃣ keycap", []),
    ],
)
def test_hashtag_names(text, names):
    parsed = parse(text)
    assert [h["name"] for h in parsed.entities["hashtags"]] == names
    assert spans(parsed, "hashtags") == ["#" + n for n in names]


def test_hashtag_then_link_then_mention_without_gaps_in_the_output():
    parsed = parse("#tag http://x.com @berg")
    found = sorted((e["pos"], e["len"]) for kind in parsed.entities.values() for e in kind)
    assert found == [(0, 4), (5, 12), (18, 5)]


# --- html ------------------------------------------------------------------------------


def test_markup_in_text_is_escaped():
    parsed = parse("<script>alert('x')</script> & \"quotes\"\nnext")
    assert parsed.html == (
        OPEN + "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;<br>next"
        "</span>"
    )


def test_markup_in_urls_is_escaped_in_href():
    parsed = parse('http://example.com/a"onmouseover="alert(1) x')
    assert_only_safe_markup(parsed.html)
    client = parse(
        "link",
        links=[{"pos": 0, "len": 4, "url": 'https://x.example/"><script>alert(1)</script>'}],
    )
    assert "<script" not in client.html
    assert_only_safe_markup(client.html)
    assert client.entities["links"][0]["url"] == (
        "https://x.example/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
    )


def test_markup_in_markdown_anchor_is_escaped():
    parsed = parse('[<img src=x onerror="alert(1)">](https://x.example)', parse_markdown_links=True)
    assert "<img" not in parsed.html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in parsed.html
    assert_only_safe_markup(parsed.html)


def test_render_html_escapes_stored_names_and_ids():
    html = render_html(
        "@x #y",
        {
            "mentions": [{"name": '"><script>', "id": "1\"'", "pos": 0, "len": 2}],
            "hashtags": [{"name": "<b>", "pos": 3, "len": 2}],
            "links": [],
        },
    )
    assert "<script" not in html and "<b>" not in html
    assert_only_safe_markup(html)


def test_render_html_ignores_bad_stored_entities():
    text = "hello world"
    html = render_html(
        text,
        {
            "links": [
                {"url": "javascript:alert(1)", "pos": 0, "len": 5},
                {"url": "https://ok.example", "pos": 6, "len": 50},
                {"url": "https://ok.example", "pos": "6", "len": 5},
            ],
            "hashtags": [{"name": "x", "pos": 2, "len": 3}, {"name": "y", "pos": 3, "len": 3}],
        },
    )
    assert html == (
        OPEN + 'he<span data-hashtag-name="x" itemprop="hashtag">llo</span> world</span>'
    )


def test_newlines_become_br_and_carriage_returns_stay():
    assert parse("a\nb\r\nc").html == OPEN + "a<br>b\r<br>c</span>"


def test_parse_text_html_is_render_html_of_its_result():
    parsed = parse(
        "@berg see [x](https://a.example) #t http://b.example 😀",
        parse_markdown_links=True,
    )
    assert parsed.html == render_html(parsed.text, parsed.entities)


# --- helpers ---------------------------------------------------------------------------


def test_shift_entities_moves_every_range_and_copies():
    entities = parse("@berg #tag http://x.com").entities
    shifted = shift_entities(entities, 10)
    assert [e["pos"] for kind in shifted.values() for e in kind] == [10, 16, 21]
    assert [e["pos"] for kind in entities.values() for e in kind] == [0, 6, 11]


def test_counted_length_excludes_anti_phishing_text():
    parsed = parse("ab", links=[{"pos": 0, "len": 2, "url": "https://x.example"}])
    assert (parsed.text, parsed.counted_length) == ("ab [x.example]", 2)
