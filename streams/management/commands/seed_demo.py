"""``manage.py seed_demo``: a demo and benchmark data set (streams/demo.py), written in bulk.

Users, a follow graph (a few popular accounts and one celebrity), posts with mentions and
hashtags, reposts, and the stream rows fan-out would have written for them, written with COPY
(PostgreSQL, psycopg 3) or batched INSERTs (other databases): going through the domain functions
-- a transaction and a fan-out task per post -- would take hours for a million stream rows.
Counters are set at the end from the rows.

With the same ``--seed`` and sizes the data is the same (users, texts, graph, reposts, stream
rows, guids); only the timestamps move, as the timeline always ends now.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

from posts.models import Post, PostHashtag, PostMention
from streams.demo import DemoPlan, Sizes
from streams.models import StreamItem
from users.models import Follow, User
from users.models.user import username_validator


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
        f
        for f in model._meta.concrete_fields
        if f.attname not in attnames and not f.primary_key and f.db_default is NOT_PROVIDED
    ]  # a column with a database default (a row's ``version``) gets it there
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
        counts = (sizes.posts_per_user, sizes.follows_per_user, sizes.reposts)
        if sizes.users < 1 or min(*counts, sizes.celebrity_followers) < 0 or sizes.days <= 0:
            raise CommandError("--users must be at least 1, the other sizes 0 or more.")
        longest = f"{options['prefix']}{sizes.users + sizes.lurkers}"
        if not username_validator.regex.match(longest):
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
                plan.user_guids[uid],
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
                StreamItem,
                ["owner_id", "post_id", "is_mention", "delivered_at"],
                plan.stream_rows(window),
            )
        return counts
