"""The consistency check (streams/services/consistency.py) that bench/load ends with: silent on
data the domain functions wrote, loud on a skewed counter or a repost shown twice."""

import pytest
from django.db.models import F

from posts.models import Post
from posts.services.posting import create_post
from posts.services.stars import star
from reposts.services import repost
from streams.models import StreamItem
from streams.services.consistency import check_consistency
from users.services.graph import follow, unfollow

# Fan-out runs when the post's transaction commits, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def graph(make_user):
    """carol follows alice and bob, dave follows bob; alice's post mentions dave, bob reposts it
    (carol had seen it, dave had not) and replies to it, carol stars it."""
    alice, bob, carol, dave = (make_user(n) for n in ("alice", "bob", "carol", "dave"))
    follow(carol, alice)
    follow(carol, bob)
    follow(dave, bob)
    original = create_post(alice, text="hello @dave")
    shared, _ = repost(bob, original)
    create_post(bob, text="a reply", reply_to=original.pk)
    star(carol, original)
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "original": original,
        "repost": shared,
    }


def test_data_written_by_the_domain_is_consistent(graph):
    # The fixture exercised the dedupe both ways; the check agrees with what the fan-out did.
    assert not StreamItem.objects.filter(owner=graph["carol"], post=graph["repost"]).exists()
    assert StreamItem.objects.filter(owner=graph["dave"], post=graph["repost"]).exists()
    report = check_consistency()
    assert report.ok, report.lines()
    assert report.lines()[0].startswith("consistency: OK")


def test_mentions_stay_consistent_through_a_follow_and_an_unfollow(graph):
    dave, alice = graph["dave"], graph["alice"]
    follow(dave, alice)  # alice's post mentioned dave before he followed her
    assert check_consistency().ok, check_consistency().lines()
    unfollow(dave, alice)
    assert check_consistency().ok, check_consistency().lines()


def test_a_mention_row_hidden_from_a_followers_personal_stream_is_reported(graph):
    follow(graph["dave"], graph["alice"])
    StreamItem.objects.filter(owner=graph["dave"], post=graph["original"]).update(is_mention=True)
    report = check_consistency()
    assert list(report.violations) == ["mention flag wrong"]


def test_a_counter_that_drifted_from_its_rows_is_reported(graph):
    Post.objects.filter(pk=graph["original"].pk).update(num_stars=F("num_stars") + 1)
    report = check_consistency()
    assert not report.ok
    assert report.violations["counter"] == [
        f"post {graph['original'].pk}: num_stars is 2, rows say 1"
    ]


def test_a_deduped_repost_delivered_anyway_is_reported(graph):
    StreamItem.objects.create(owner=graph["carol"], post=graph["repost"])
    report = check_consistency()
    assert list(report.violations) == ["repost shown twice"]
    [violation] = report.violations["repost shown twice"]
    assert f"user {graph['carol'].pk} got repost {graph['repost'].pk}" in violation


def test_a_repost_lost_where_nothing_showed_the_original_is_reported(graph):
    StreamItem.objects.filter(owner=graph["dave"], post=graph["repost"]).delete()
    report = check_consistency()
    assert list(report.violations) == ["repost missing"]


def test_a_followees_post_missing_from_a_stream_is_reported(graph):
    StreamItem.objects.filter(owner=graph["carol"], post=graph["original"]).delete()
    report = check_consistency()
    # Carol then lacks alice's post; bob's repost of it was rightly withheld from her at the
    # time, but nothing in her stream shows the original any more, so that is flagged as well.
    assert set(report.violations) == {"missing post", "repost missing"}
    assert report.violations["missing post"] == [
        f"user {graph['carol'].pk}'s stream lacks post {graph['original'].pk}"
    ]
