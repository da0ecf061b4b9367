"""The App.net documentation's own entity and html examples, reproduced exactly.

Sources: appdotnet/api-spec ``content/reference/meta/entities.md`` and
``content/reference/resources/text-processor/index.md``, plus two objects
captured from the real API (a user description and a post).
"""

from entities.core import parse_text

BERG = {"berg": (2, "berg")}
FIRST_POST = "@berg FIRST post on this new site #newsocialnetwork"


def test_first_post_mention_is_leading_and_counts_the_at_sign():
    parsed = parse_text(FIRST_POST, known_users=BERG)
    assert parsed.entities["mentions"] == [
        {"name": "berg", "id": "2", "pos": 0, "len": 5, "is_leading": True}
    ]


def test_first_post_hashtag_counts_the_hash_sign():
    parsed = parse_text(FIRST_POST, known_users=BERG)
    assert parsed.entities["hashtags"] == [{"name": "newsocialnetwork", "pos": 34, "len": 17}]
    assert parsed.entities["links"] == []
    assert parsed.text == FIRST_POST


def test_first_post_custom_link_gets_anti_phishing_domain_and_amended_len():
    parsed = parse_text(
        FIRST_POST,
        known_users=BERG,
        links=[{"pos": 20, "len": 13, "url": "https://join.app.net"}],
    )
    assert parsed.entities["links"] == [
        {
            "text": "this new site",
            "url": "https://join.app.net",
            "pos": 20,
            "len": 13,
            "amended_len": 28,
        }
    ]
    assert parsed.text == "@berg FIRST post on this new site [join.app.net] #newsocialnetwork"
    # The hashtag moves with the inserted " [join.app.net]" so it still points at itself.
    (hashtag,) = parsed.entities["hashtags"]
    assert (hashtag["pos"], hashtag["len"]) == (34 + 15, 17)
    assert parsed.text[hashtag["pos"] : hashtag["pos"] + 17] == "#newsocialnetwork"


def test_custom_link_with_parse_links_keeps_the_parsed_link_too():
    parsed = parse_text(
        "The official App.net blog is here",
        known_users={},
        links=[{"pos": 29, "len": 4, "url": "http://blog.app.net"}],
        parse_links=True,
    )
    assert parsed.entities["links"] == [
        {"text": "App.net", "url": "http://App.net", "pos": 13, "len": 7},
        {"text": "here", "url": "http://blog.app.net", "pos": 29, "len": 4, "amended_len": 19},
    ]
    assert parsed.text == "The official App.net blog is here [blog.app.net]"


def test_markdown_links_replace_supplied_links():
    parsed = parse_text(
        "The official App.net [blog](http://blog.app.net) is here",
        known_users={},
        links=[{"pos": 0, "len": 3, "url": "http://app.net/mthurman"}],
        parse_links=True,
        parse_markdown_links=True,
    )
    assert parsed.entities["links"] == [
        {"text": "App.net", "url": "http://App.net", "pos": 13, "len": 7},
        {"text": "blog", "url": "http://blog.app.net", "pos": 21, "len": 4, "amended_len": 19},
    ]
    assert parsed.text == "The official App.net blog [blog.app.net] is here"
    assert parsed.counted_length == len("The official App.net blog is here")


def test_anti_phishing_example_i_love_this_website():
    parsed = parse_text(
        "I love this website!",
        known_users={},
        links=[{"pos": 7, "len": 12, "url": "https://alpha.app.net"}],
    )
    assert parsed.text == "I love this website [alpha.app.net]!"
    assert parsed.entities["links"] == [
        {
            "text": "this website",
            "url": "https://alpha.app.net",
            "pos": 7,
            "len": 12,
            "amended_len": 28,
        }
    ]
    assert parsed.counted_length == len("I love this website!")
    assert parsed.html == (
        '<span itemscope="https://app.net/schemas/Post">I love '
        '<a href="https://alpha.app.net">this website</a> [alpha.app.net]!</span>'
    )


def test_text_processor_example_entities_and_html():
    parsed = parse_text(
        "This is #awesome tell @voidfiles about http://google.com",
        known_users={"voidfiles": (3, "voidfiles")},
    )
    assert parsed.entities == {
        "hashtags": [{"len": 8, "name": "awesome", "pos": 8}],
        "links": [{"len": 17, "pos": 39, "text": "http://google.com", "url": "http://google.com"}],
        # The docs leave is_leading out of this example; App.net always sent it.
        "mentions": [{"id": "3", "len": 10, "name": "voidfiles", "pos": 22, "is_leading": False}],
    }
    # Attribute order as CONTRACT §4 and the repost seed (001) write it; the docs' example
    # orders them differently, which no HTML consumer can tell apart.
    assert parsed.html == (
        '<span itemscope="https://app.net/schemas/Post">This is '
        '<span data-hashtag-name="awesome" itemprop="hashtag">#awesome</span> tell '
        '<span data-mention-id="3" data-mention-name="voidfiles" itemprop="mention">'
        "@voidfiles</span> about "
        '<a href="http://google.com">http://google.com</a></span>'
    )
    assert parsed.text == "This is #awesome tell @voidfiles about http://google.com"


def test_real_user_description_bare_domain_and_hashtag_after_crlf():
    text = "gamer, dev, debaser\r\n\r\n#MondayNightDanceParty details at s3rv.com/mndp."
    parsed = parse_text(text, known_users={})
    assert parsed.entities == {
        "mentions": [],
        "hashtags": [{"name": "MondayNightDanceParty", "pos": 23, "len": 22}],
        "links": [{"text": "s3rv.com/mndp", "url": "http://s3rv.com/mndp", "pos": 57, "len": 13}],
    }


def test_real_description_bare_domain_is_not_amended():
    parsed = parse_text("Updating you on changes to the App.net API", known_users={})
    assert parsed.entities["links"] == [
        {"text": "App.net", "url": "http://App.net", "pos": 31, "len": 7}
    ]
    assert parsed.html == (
        '<span itemscope="https://app.net/schemas/Post">Updating you on changes to the '
        '<a href="http://App.net">App.net</a> API</span>'
    )


def test_plain_message_html():
    assert parse_text("heh", known_users={}).html == (
        '<span itemscope="https://app.net/schemas/Post">heh</span>'
    )
