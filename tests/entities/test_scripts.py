"""Entities in every script: the failures issue 14 listed, as a client would see them."""

import re

import pytest
import regex

from entities.core import mention_candidates, parse_text
from entities.detect import TLDS, unicode_class

USERS = {"name": (7, "name"), "alice": (8, "alice"), "example": (9, "example")}


def parse(text):
    return parse_text(text, known_users=USERS)


def links(text):
    return [(e["text"], e["url"]) for e in parse(text).entities["links"]]


def hashtags(text):
    return [e["name"] for e in parse(text).entities["hashtags"]]


def mentions(text):
    parsed = parse(text)
    return [parsed.text[e["pos"] : e["pos"] + e["len"]] for e in parsed.entities["mentions"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("詳しくはhttps://example.com/newsをご覧ください", [("https://example.com/news", None)]),
        ("見てexample.com/a中文", [("example.com/a", "http://example.com/a")]),
        ("example.comです", [("example.com", "http://example.com")]),
        ("これは日本語です。example.com中国語t.co/abcde", None),
    ],
)
def test_urls_end_where_cjk_text_begins(text, expected):
    found = links(text)
    if expected is None:
        assert [t for t, _ in found] == ["example.com", "t.co/abcde"]
    else:
        assert [t for t, _ in found] == [t for t, _ in expected]
        for (_, url), (_, want) in zip(found, expected, strict=True):
            assert want is None or url == want


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("#می\u200cخواهم", "می\u200cخواهم"),  # ZWNJ, Persian
        ("#ශ්\u200dරීලංකා", "ශ්\u200dරීලංකා"),  # ZWJ, Sinhala
        ("#עַל־יְדֵי", "עַל־יְדֵי"),  # maqaf, Hebrew
        ("#וכו׳", "וכו׳"),  # geresh
        ("#བོད་སྐད་", "བོད་སྐད་"),  # tsheg, Tibetan
        ("#メ〜テレ", "メ〜テレ"),  # wave dash
        ("#メ～テレ", "メ～テレ"),  # full-width tilde
        ("#サッカー", "サッカー"),  # long vowel mark
        ("#il·lusió", "il·lusió"),  # Catalan middle dot
        ("＃日本語", "日本語"),  # full-width number sign
    ],
)
def test_hashtags_hold_together_across_joiners_and_marks(text, name):
    assert hashtags(text) == [name]


def test_full_width_at_sign_makes_a_mention():
    parsed = parse("＠name hi")
    assert parsed.entities["mentions"][0]["name"] == "name"
    assert parsed.entities["mentions"][0]["pos"] == 0
    assert mention_candidates("＠name hi") == {"name"}
    assert 'data-mention-name="name" itemprop="mention">＠name</span>' in parsed.html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://a.com/x: more", ["https://a.com/x"]),
        ("look http://example.com/,,,,,, ok", ["http://example.com/"]),
        ("john.doe.gov@mail.com", []),
        ("test http://a_b.c-d.com", ["http://a_b.c-d.com"]),
        (
            "(see http://en.wikipedia.org/wiki/Primer_(film))",
            ["http://en.wikipedia.org/wiki/Primer_(film)"],
        ),
    ],
)
def test_trailing_punctuation_and_neighbours_stay_out_of_links(text, expected):
    assert [t for t, _ in links(text)] == expected


def test_directional_marks_stay_out_of_the_link_and_its_href():
    parsed = parse("\u202ahttp://twitter.com/\u202c")
    (link,) = parsed.entities["links"]
    assert link["text"] == link["url"] == "http://twitter.com/"
    assert (link["pos"], link["len"]) == (1, 19)
    assert "%E2%80%AC" not in parsed.html and 'href="http://twitter.com/"' in parsed.html


@pytest.mark.parametrize("text", ["f!@name", "x@name", "@alicé", "me@@name", "#@name"])
def test_mentions_glued_to_words_are_not_mentions(text):
    assert mentions(text) == []


def test_retweet_prefix_may_touch_a_mention():
    assert mentions("RT@name and rt:@alice") == ["@name", "@alice"]


def test_hashtag_and_mention_beat_the_domain_they_look_like():
    parsed = parse("#example.com @example.com")
    assert [h["name"] for h in parsed.entities["hashtags"]] == ["example"]
    assert [m["name"] for m in parsed.entities["mentions"]] == ["example"]
    assert parsed.entities["links"] == []


@pytest.mark.parametrize(
    "domain",
    ["visit.berlin", "my.photography", "shop.nyc", "fun.amsterdam", "x.travelersinsurance"],
)
def test_bare_domains_on_newer_top_level_domains_are_links(domain):
    assert links(f"see {domain} now") == [(domain, f"http://{domain}")]


def test_the_top_level_domains_come_from_the_public_suffix_list():
    assert len(TLDS) > 1400  # every delegated TLD, not a hand-kept few
    assert {"com", "jp", "みんな", "中国", "berlin"} <= TLDS
    assert "bz2" not in TLDS and "baz" not in TLDS


@pytest.mark.parametrize(
    "expression",
    [
        r"[\p{WB=ALetter}\p{WB=Hebrew_Letter}\p{WB=Numeric}\p{M}_]",
        r"[\p{L}\p{M}\p{N}\p{So}]",
        r"[[\p{L}\p{M}\p{Nd}--\p{ea=W}--\p{ea=F}][!*';:=+,.$/%#\[\]\-\u2013_~&|@()?{}]]",
    ],
)
def test_unicode_classes_translate_exactly_for_every_assigned_code_point(expression):
    """detect's stdlib-re classes (a BMP bitmap, astral ranges behind a guard, gaps of
    unassigned code points merged) match what the regex module's class matches."""
    one = re.compile(unicode_class(expression).one)
    source = regex.compile(f"(?V1){expression}")
    unassigned = regex.compile(r"\p{Cn}")
    for cp in [*range(0xD800), *range(0xE000, 0x40000), *range(0xE0000, 0xE0200)]:
        ch = chr(cp)
        if unassigned.match(ch):
            continue
        assert bool(one.fullmatch(ch)) == bool(source.fullmatch(ch)), hex(cp)
