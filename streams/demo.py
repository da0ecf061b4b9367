"""The demo data set ``manage.py seed_demo`` writes, planned in memory from one seeded RNG.

Users, a follow graph (a few popular accounts and one celebrity), posts with mentions and
hashtags, reposts, and the stream rows fan-out would have written for them -- with the domain's
own rules for what only the domain decides (entities, a repost's text, the repost dedupe).
Nothing here touches the database: ids are handed out from the first free ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tqdm import tqdm

from entities.core import mention_candidates, parse_text
from posts.models import Post
from posts.models.post_hashtag import fold_tag
from reposts.services import repost_content
from users.models import User

_WORDS = (
    "the a an and or but so then just really very new old good bad great post site app today "
    "tomorrow yesterday coffee code bug fix release update thanks everyone friends stream photo "
    "video link read this that here there why how what when love think know see look find make "
    "take give work play run test ship deploy music weather train lunch book idea"
)
WORDS = _WORDS.split()
HASHTAGS = ["adn", "python", "coffee", "music", "MondayNightDanceParty", "photo", "ship_it"]
# Reposts pick an original among this many most recent ones, as people repost what is new.
RECENT_ORIGINALS = 3000
MENTION_RATE = 0.12
DIRECTED_RATE = 0.03  # a leading mention: the post is "directed" (App.net)
HASHTAG_RATE = 0.15


@dataclass(frozen=True)
class Sizes:
    users: int
    posts_per_user: int
    follows_per_user: int
    reposts: int
    celebrity_followers: int
    days: float

    @property
    def lurkers(self) -> int:
        """Extra accounts that only follow the celebrity, when it has more fans than users."""
        return max(0, self.celebrity_followers - (self.users - 1))


@dataclass
class DemoPost:
    id: int
    user_id: int
    created_at: datetime
    text: str
    html: str
    entities: dict
    guid: str
    is_directed: bool = False
    repost_of: DemoPost | None = None
    mentioned: list[int] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)


class DemoPlan:
    """The whole data set in memory, drawn from one seeded RNG, before anything is written."""

    def __init__(
        self,
        sizes: Sizes,
        *,
        seed: int,
        prefix: str,
        first_user_id: int,
        first_post_id: int,
        end: datetime,
    ):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.first_post_id = first_post_id
        self.end = end
        self.start = end - timedelta(days=sizes.days)
        total = sizes.users + sizes.lurkers
        self.user_ids = list(range(first_user_id, first_user_id + total))
        self.usernames = {uid: f"{prefix}{n}" for n, uid in enumerate(self.user_ids, 1)}
        self.by_lower = {name.lower(): (uid, name) for uid, name in self.usernames.items()}
        self.user_guids = {uid: self.guid() for uid in self.user_ids}
        self.active = self.user_ids[: sizes.users]
        self.celebrity = self.active[0] if sizes.celebrity_followers else None
        self.followers: dict[int, list[int]] = {uid: [] for uid in self.user_ids}
        self.follows: list[tuple[int, int]] = []
        self.posts: list[DemoPost] = []
        self._follow_graph()
        self._timeline()

    def guid(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _follow(self, follower: int, followee: int) -> None:
        self.follows.append((follower, followee))
        self.followers[followee].append(follower)

    def _follow_graph(self) -> None:
        rng = self.rng
        pool = [uid for uid in self.active if uid != self.celebrity]
        # Popularity falls off with the position in the pool: a few accounts many follow.
        cum_weights, total = [], 0.0
        for rank in range(len(pool)):
            total += 1 / (rank + 10)
            cum_weights.append(total)
        for follower in self.active:
            wanted = min(self.sizes.follows_per_user, len(pool) - (follower != self.celebrity))
            chosen: set[int] = set()
            while len(chosen) < wanted:
                picks = rng.choices(pool, cum_weights=cum_weights, k=wanted - len(chosen))
                chosen.update(p for p in picks if p != follower)
            for followee in sorted(chosen):
                self._follow(follower, followee)
        if self.celebrity is not None:
            fans = [uid for uid in self.user_ids if uid != self.celebrity]
            for fan in fans[: self.sizes.celebrity_followers]:
                self._follow(fan, self.celebrity)
        for followers in self.followers.values():
            followers.sort()  # fan-out delivers in follower id order

    def _timeline(self) -> None:
        rng = self.rng
        events: list[int | None] = [
            uid for uid in self.active for _ in range(self.sizes.posts_per_user)
        ]
        events += [None] * self.sizes.reposts  # None: a repost, of an original chosen then
        rng.shuffle(events)
        step = (self.end - self.start) / max(1, len(events))
        originals: list[DemoPost] = []
        reposted: set[tuple[int, int]] = set()
        for n, author in enumerate(events):
            at = self.start + step * n
            if author is None:
                post = self._repost(at, originals, reposted)
            else:
                post = self._original(author, at)
                originals.append(post)
            if post is not None:
                self.posts.append(post)

    def _next_id(self) -> int:
        return self.first_post_id + len(self.posts)

    def _original(self, author: int, at: datetime) -> DemoPost:
        rng = self.rng
        words = rng.choices(WORDS, k=rng.randint(4, 18))
        if rng.random() < HASHTAG_RATE:
            words.insert(rng.randrange(len(words) + 1), "#" + rng.choice(HASHTAGS))
        roll = rng.random()
        if roll < MENTION_RATE:
            mention = "@" + self.usernames[rng.choice(self.active)]
            words.insert(0 if roll < DIRECTED_RATE else rng.randrange(1, len(words) + 1), mention)
        text = " ".join(words)
        known = {n: self.by_lower[n] for n in mention_candidates(text) if n in self.by_lower}
        parsed = parse_text(text, known_users=known)
        mentions = parsed.entities.get("mentions", [])
        return DemoPost(
            id=self._next_id(),
            user_id=author,
            created_at=at,
            text=parsed.text,
            html=parsed.html,
            entities=parsed.entities,
            guid=self.guid(),
            is_directed=any(m.get("is_leading") for m in mentions),
            mentioned=sorted({int(m["id"]) for m in mentions}),
            hashtags=sorted({fold_tag(h["name"]) for h in parsed.entities.get("hashtags", [])}),
        )

    def _repost(
        self, at: datetime, originals: list[DemoPost], reposted: set[tuple[int, int]]
    ) -> DemoPost | None:
        rng = self.rng
        for _ in range(10):  # a few tries at a pair the unique constraint allows
            if not originals:
                return None
            original = originals[
                rng.randrange(max(0, len(originals) - RECENT_ORIGINALS), len(originals))
            ]
            reposter = rng.choice(self.active)
            if reposter != original.user_id and (reposter, original.id) not in reposted:
                break
        else:
            return None
        reposted.add((reposter, original.id))
        author = User(pk=original.user_id, username=self.usernames[original.user_id])
        # The domain's own rule for a repost's text and entities.
        text, entities, html = repost_content(
            Post(pk=original.id, user=author, text=original.text, entities=original.entities)
        )
        return DemoPost(
            id=self._next_id(),
            user_id=reposter,
            created_at=at,
            text=text,
            html=html,
            entities=entities,
            guid=self.guid(),
            repost_of=original,
        )

    def stream_rows(self, dedupe_window: timedelta) -> Iterator[tuple[int, int, bool, datetime]]:
        """``(owner, post, is_mention, delivered_at)`` in the order fan-out would have written
        them, each delivered when its post was made.

        A repost reaches a follower only if they were not shown its original within the window
        (streams.dedupe's rule, replayed here with the posts' timestamps), and never the
        original's author.
        """
        shown: dict[tuple[int, int], datetime] = {}  # (owner, original) -> expiry
        primed: set[int] = set()
        for post in tqdm(self.posts, desc="stream rows", unit="post", disable=None):
            audience = [post.user_id, *self.followers[post.user_id]]
            original = post.repost_of
            at = post.created_at
            if original is None:
                for owner in audience:
                    yield owner, post.id, False, at
                for owner in sorted(set(post.mentioned) - set(audience)):
                    yield owner, post.id, True, at
                continue
            if original.id not in primed:  # who the original's own fan-out showed it to
                primed.add(original.id)
                expiry = original.created_at + dedupe_window
                for owner in (original.user_id, *self.followers[original.user_id]):
                    shown[(owner, original.id)] = expiry
            expiry = at + dedupe_window
            shown[(post.user_id, original.id)] = expiry
            yield post.user_id, post.id, False, at
            for owner in audience[1:]:
                held = shown.get((owner, original.id))
                if owner != original.user_id and (held is None or held <= at):
                    shown[(owner, original.id)] = expiry
                    yield owner, post.id, False, at
