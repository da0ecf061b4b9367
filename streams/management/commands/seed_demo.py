"""``manage.py seed_demo``: a demo and benchmark data set, written in bulk.

Users, a follow graph (a few popular accounts and one celebrity), posts with mentions and
hashtags, reposts, and the stream rows fan-out would have written for them. Everything is planned
in memory from one seeded RNG, then written with COPY (PostgreSQL, psycopg 3) or batched INSERTs
(other databases): going through the domain functions -- a transaction and a fan-out task per
post -- would take hours for a million stream rows. Counters are set at the end from the rows.

With the same ``--seed`` and sizes the data is the same (users, texts, graph, reposts, stream
rows, guids); only the timestamps move, as the timeline always ends now.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone
from tqdm import tqdm

from entities.core import mention_candidates, parse_text
from posts.models import Post, PostHashtag, PostMention
from posts.services.posting import fold_tag
from reposts.services import repost_content
from streams.models import StreamItem
from users.models import Follow, User

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

    def stream_rows(self, dedupe_window: timedelta) -> Iterator[tuple[int, int, bool]]:
        """``(owner, post, is_mention)`` in the order fan-out would have written them.

        A repost reaches a follower only if they were not shown its original within the window
        (streams.dedupe's rule, replayed here with the posts' timestamps).
        """
        shown: dict[tuple[int, int], datetime] = {}  # (owner, original) -> expiry
        primed: set[int] = set()
        for post in tqdm(self.posts, desc="stream rows", unit="post", disable=None):
            audience = [post.user_id, *self.followers[post.user_id]]
            original = post.repost_of
            if original is None:
                for owner in audience:
                    yield owner, post.id, False
                for owner in sorted(set(post.mentioned) - set(audience)):
                    yield owner, post.id, True
                continue
            if original.id not in primed:  # who the original's own fan-out showed it to
                primed.add(original.id)
                expiry = original.created_at + dedupe_window
                for owner in (original.user_id, *self.followers[original.user_id]):
                    shown[(owner, original.id)] = expiry
            expiry = post.created_at + dedupe_window
            shown[(post.user_id, original.id)] = expiry
            yield post.user_id, post.id, False
            for owner in audience[1:]:
                held = shown.get((owner, original.id))
                if held is None or held <= post.created_at:
                    shown[(owner, original.id)] = expiry
                    yield owner, post.id, False


class BulkWriter:
    """COPY on PostgreSQL (psycopg 3), batched INSERTs elsewhere, all on Django's connection."""

    BATCH = 5000

    def __init__(self):
        self.copy = connection.vendor == "postgresql"

    def write(
        self,
        model: type[Model],
        attnames: list[str],
        rows: Iterable[tuple],
        *,
        prepare: bool = False,
    ) -> int:
        """Write ``rows`` (values in ``attnames`` order); ``prepare`` adapts values such as JSON
        and datetimes for the database, which plain ints and booleans do not need."""
        fields = [model._meta.get_field(name) for name in attnames]
        if prepare:
            preps = [f.get_db_prep_save for f in fields]
            rows = (
                tuple(p(v, connection) for p, v in zip(preps, row, strict=True)) for row in rows
            )
        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        columns = ", ".join(qn(f.column) for f in fields)
        written = 0
        with connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        written += 1
            else:
                marks = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
                rows = iter(rows)
                while batch := list(islice(rows, self.BATCH)):
                    cursor.executemany(sql, batch)
                    written += len(batch)
        return written


@contextlib.contextmanager
def indexes_built_after(model: type[Model]) -> Iterator[None]:
    """On PostgreSQL, an empty table's secondary indexes are dropped for the load and built
    again after it: one sort each instead of a million random insertions into each. Indexes
    behind constraints (the primary key, unique) stay and check every row."""
    if connection.vendor != "postgresql" or model.objects.exists():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [model._meta.db_table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # The rows' deferred foreign-key checks run now: a table with pending checks cannot be
        # indexed (they would run at commit anyway).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, definition in indexes:
            cursor.execute(definition)


def every_column(
    model: type[Model], attnames: list[str], rows: Iterable[tuple]
) -> tuple[list[str], Iterator[tuple]]:
    """The given columns plus every other one at its field's default: COPY and raw INSERTs get
    no help from Django with the rest (NOT NULL columns without a database default)."""
    rest = [
        f for f in model._meta.concrete_fields if f.attname not in attnames and not f.primary_key
    ]
    defaults = tuple(f.get_default() for f in rest)
    return attnames + [f.attname for f in rest], (row + defaults for row in rows)


def set_counters(first_user_id: int, first_post_id: int) -> None:
    """The seeded users' and posts' counters, each table in one UPDATE … FROM an aggregate."""
    qn = connection.ops.quote_name
    users, follows, posts = (qn(m._meta.db_table) for m in (User, Follow, Post))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {users} SET followers_count = c.followers, following_count = c.following,
                               posts_count = c.posts
            FROM (
                SELECT user_id, SUM(followers) AS followers, SUM(following) AS following,
                       SUM(posts) AS posts
                FROM (
                    SELECT followee_id AS user_id, 1 AS followers, 0 AS following, 0 AS posts
                    FROM {follows}
                    UNION ALL SELECT follower_id, 0, 1, 0 FROM {follows}
                    UNION ALL SELECT user_id, 0, 0, 1 FROM {posts} WHERE NOT is_deleted
                ) AS counted
                GROUP BY user_id
            ) AS c
            WHERE {users}.id = c.user_id AND {users}.id >= %s
            """,
            [first_user_id],
        )
        cursor.execute(
            f"""
            UPDATE {posts} SET num_reposts = c.reposts
            FROM (
                SELECT repost_of_id, COUNT(*) AS reposts FROM {posts}
                WHERE repost_of_id IS NOT NULL GROUP BY repost_of_id
            ) AS c
            WHERE {posts}.id = c.repost_of_id AND {posts}.id >= %s
            """,
            [first_post_id],
        )


class Command(BaseCommand):
    help = (
        "Fill the database with demo data: users, follows, posts, reposts and their stream rows, "
        "written in bulk (COPY on PostgreSQL). Deterministic with --seed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--users", type=int, default=1000, help="Accounts that post.")
        parser.add_argument("--posts-per-user", type=int, default=20)
        parser.add_argument(
            "--follows-per-user",
            type=int,
            default=50,
            help="Accounts each user follows, popular ones more often.",
        )
        parser.add_argument("--reposts", type=int, default=2000)
        parser.add_argument(
            "--celebrity-followers",
            type=int,
            default=10000,
            help="Followers of the first user (the celebrity); beyond --users, extra accounts "
            "that only follow the celebrity are added. 0: no celebrity.",
        )
        parser.add_argument("--days", type=float, default=30, help="How far back posts go.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument(
            "--prefix",
            default="demo",
            help="Usernames are PREFIX1, PREFIX2, … (PREFIX1 is the celebrity).",
        )
        parser.add_argument(
            "--password", default="demo-password", help="The password of every demo account."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed a database that already has users or posts. Refused by default: the rows "
            "are written in bulk past the domain functions (no fan-out tasks, no repost "
            "dedupe keys in Redis) and every demo account shares one password, which is not "
            "something to mix into real data by accident.",
        )

    def handle(self, *args, **options) -> None:
        sizes = Sizes(
            users=options["users"],
            posts_per_user=options["posts_per_user"],
            follows_per_user=options["follows_per_user"],
            reposts=options["reposts"],
            celebrity_followers=options["celebrity_followers"],
            days=options["days"],
        )
        self.refuse_bad_input(sizes, options)
        started = time.monotonic()
        first_user_id = (User.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        first_post_id = (Post.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        plan = DemoPlan(
            sizes,
            seed=options["seed"],
            prefix=options["prefix"],
            first_user_id=first_user_id,
            first_post_id=first_post_id,
            end=timezone.now(),
        )
        password = make_password(options["password"], salt=f"demo{options['seed']}")
        writer = BulkWriter()
        with transaction.atomic():
            counts = self.write(writer, plan, password)
            set_counters(first_user_id, first_post_id)
            for sql in connection.ops.sequence_reset_sql(no_style(), [User, Post]):
                with connection.cursor() as cursor:
                    cursor.execute(sql)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses at a table that just grew a millionfold.
            tables = (
                m._meta.db_table for m in (User, Follow, Post, PostMention, PostHashtag, StreamItem)
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(map(connection.ops.quote_name, tables)))
        summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        celebrity = (
            f"; celebrity @{plan.usernames[plan.celebrity]} "
            f"({len(plan.followers[plan.celebrity]):,} followers)"
            if plan.celebrity
            else ""
        )
        self.stdout.write(f"Seeded {summary}{celebrity} in {time.monotonic() - started:.1f}s.")

    def refuse_bad_input(self, sizes: Sizes, options: dict) -> None:
        if (
            sizes.users < 1
            or min(
                sizes.posts_per_user,
                sizes.follows_per_user,
                sizes.reposts,
                sizes.celebrity_followers,
            )
            < 0
            or sizes.days <= 0
        ):
            raise CommandError("--users must be at least 1, the other sizes 0 or more.")
        longest = f"{options['prefix']}{sizes.users + sizes.lurkers}"
        if not User.username.field.validators[0].regex.match(longest):
            raise CommandError(f"--prefix: {longest!r} is not a valid username.")
        if not options["force"] and (User.objects.exists() or Post.objects.exists()):
            raise CommandError(
                "The database already has users or posts; seed_demo writes past the domain "
                "functions and gives every demo account one password. Use an empty database, "
                "or --force to add the demo data anyway."
            )

    def write(self, writer: BulkWriter, plan: DemoPlan, password: str) -> dict[str, int]:
        joined = plan.start - timedelta(days=1)
        lurker_from = len(plan.active)
        users = (
            (
                uid,
                plan.usernames[uid],
                password,
                f"Demo {'lurker' if n >= lurker_from else 'user'} {n + 1}",
                joined,
                plan.guid(),
            )
            for n, uid in enumerate(plan.user_ids)
        )
        user_columns = ["id", "username", "password", "name", "date_joined", "guid"]
        counts = {
            "users": writer.write(User, *every_column(User, user_columns, users), prepare=True)
        }
        counts["follows"] = writer.write(
            Follow,
            ["follower_id", "followee_id", "created_at"],
            ((a, b, joined) for a, b in plan.follows),
            prepare=True,
        )
        post_columns = [
            "id",
            "user_id",
            "text",
            "html",
            "entities",
            "thread_id",
            "repost_of_id",
            "is_directed",
            "created_at",
            "guid",
        ]
        posts = (
            (
                p.id,
                p.user_id,
                p.text,
                p.html,
                p.entities,
                p.id,
                p.repost_of.id if p.repost_of else None,
                p.is_directed,
                p.created_at,
                p.guid,
            )
            for p in plan.posts
        )
        counts["posts"] = writer.write(Post, *every_column(Post, post_columns, posts), prepare=True)
        counts["reposts"] = sum(1 for p in plan.posts if p.repost_of)
        writer.write(
            PostMention,
            ["post_id", "user_id"],
            ((p.id, u) for p in plan.posts for u in p.mentioned),
        )
        writer.write(
            PostHashtag, ["post_id", "name"], ((p.id, t) for p in plan.posts for t in p.hashtags)
        )
        window = timedelta(seconds=settings.REPOST_DEDUPE_SECONDS)
        with indexes_built_after(StreamItem):
            counts["stream rows"] = writer.write(
                StreamItem, ["owner_id", "post_id", "is_mention"], plan.stream_rows(window)
            )
        return counts
