"""diaspora's rendering of posts, comments, reshares, likes, people, conversations and their
messages.

``DiasporaPage`` is ``posts.serializers.PostPage`` (the viewer's relations to the posts and their
authors, in one query whatever the page size) plus the mentioned people (one more query). Shapes
follow the seed examples, which win over diaspora's code.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from core.inputs import MAX_ID, parse_guid
from messaging.models import Channel, ChannelAcl, Message
from messaging.services.conversations import subject_of
from polls.models import Poll
from polls.services import attached_polls, attached_reference, chosen_options
from posts.models import Post, Star
from posts.options import ReadOptions
from posts.serializers import PostPage
from posts.services.relations import participates
from users.models import User
from users.serializers import image_object

from .mentions import diaspora_id, mentioned_ids, to_diaspora_body

TITLE_LENGTH = 70
NO_SUBJECT = "No subject"  # diaspora's subject for a conversation without one
# Stars have no guid column; a like's guid is derived from its id, so it stays the same.
LIKE_GUID_NAMESPACE = uuid.UUID("5b0c7f4e-3d7a-4c1e-9a43-1f6f3b0c2d11")


def diaspora_time(moment: datetime) -> str:
    """ISO 8601 in UTC to the millisecond with a ``Z``, as diaspora writes times."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def person(user: User) -> dict:
    return {
        "guid": user.guid,
        "diaspora_id": diaspora_id(user.username),
        "name": user.name or user.username,
        "avatar": image_object(user.avatar_url, "avatar")["url"],
    }


def like_guid(star: Star) -> str:
    return uuid.uuid5(LIKE_GUID_NAMESPACE, str(star.pk)).hex


def like(star: Star) -> dict:
    return {"guid": like_guid(star), "author": person(star.user)}


def reshare_summary(reshare: Post) -> dict:
    """A reshare in a post's list of reshares (and a reshare's ``root``): who and when."""
    return {
        "guid": reshare.guid,
        "created_at": diaspora_time(reshare.created_at),
        "author": person(reshare.user),
    }


def title(body: str, author: User) -> str:
    """diaspora's title: the first line (a markdown heading without its ``#``), cut to 70."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    first = first.lstrip("#").strip()
    if not first:
        return f"A post from {author.name or author.username}"
    if len(first) > TITLE_LENGTH:
        return first[: TITLE_LENGTH - 3] + "..."
    return first


class DiasporaPage(PostPage):
    def __init__(self, posts: list[Post], viewer):
        super().__init__(posts, viewer, ReadOptions())
        shown = posts + [p.repost_of for p in posts if p.repost_of_id]
        ids = {uid for p in shown for uid in mentioned_ids(p.entities or {})}
        self.mentioned = User.objects.filter(is_active=True).in_bulk(ids) if ids else {}
        # A post's poll is the one its poll notice attaches (pnut's rows, CONTRACT §9).
        self.polls = attached_polls({p.pk: p.annotations for p in shown})
        self.chosen = chosen_options(viewer, list(self.polls.values()))

    def poll(self, poll: Poll) -> dict:
        """diaspora's poll object: its answers' counts show as votes come in."""
        answers = [
            {
                "id": option.pk,
                "answer": option.text,
                "vote_count": option.respondents,
                "own_answer": option.pk in self.chosen,
            }
            for option in poll.options.all()
        ]
        return {
            "guid": numbered_guid(poll.pk),
            "participation_count": poll.respondents,
            "already_participated": any(answer["own_answer"] for answer in answers),
            "question": poll.prompt,
            "poll_answers": answers,
        }

    def body(self, post: Post) -> str:
        return to_diaspora_body(post.text, post.entities or {})

    def people(self, post: Post) -> list[dict]:
        users = (self.mentioned.get(uid) for uid in mentioned_ids(post.entities or {}))
        return [person(user) for user in users if user is not None]

    def own_state(self, post: Post) -> dict:
        return self.own_state_in(self.context, post.pk, post.user_id)

    @staticmethod
    def own_state_in(context, post_id: int, author_id: int) -> dict:
        has = context.has
        reshared = has("you_reposted", post_id)
        return {
            "liked": has("you_starred", post_id),
            "reshared": reshared,
            "reshated": reshared,  # the seed's spelling; "reshared" is diaspora's code's
            "subscribed": participates(context, post_id, author_id),
            "reported": has("you_reported", post_id),
        }

    def post(self, post: Post) -> dict:
        """A post object; a reshare shows its root's text (diaspora's reshares have none of their
        own) and names the root in ``root``."""
        shown = post.repost_of if post.repost_of_id else post
        body = self.body(shown)
        data = {
            "guid": post.guid,
            "created_at": diaspora_time(post.created_at),
            "post_type": "Reshare" if post.repost_of_id else "StatusMessage",
            "title": title(body, shown.user),
            "body": body,
            # Always a string, as in the seed; "API" as ADN's source names a post made without
            # an app.
            "provider_display_name": post.source.name if post.source_id else "API",
            "public": True,  # every post here is public (App.net had no private posts)
            "nsfw": post.is_nsfw,
            "author": person(post.user),
            "interaction_counters": {
                "comments": post.num_replies,
                "likes": post.num_stars,
                "reshares": post.num_reposts,
            },
            "own_interaction_state": self.own_state(post),
            "mentioned_people": self.people(shown),
            "photos": [],  # no photo uploads here
        }
        if shown.pk in self.polls:
            data["poll"] = self.poll(self.polls[shown.pk])
        if post.repost_of_id:
            data["root"] = reshare_summary(post.repost_of)
        return data

    def comment(self, reply: Post) -> dict:
        return {
            "guid": reply.guid,
            "created_at": diaspora_time(reply.created_at),
            "author": person(reply.user),
            "body": self.body(reply),
            "mentioned_people": self.people(reply),
            "interactions": {
                "liked": self.context.has("you_starred", reply.pk),
                "likes_count": reply.num_stars,
            },
            "reported": self.context.has("you_reported", reply.pk),
        }


def posts_to_diaspora(posts: list[Post], viewer, options: ReadOptions) -> list[dict]:
    page = DiasporaPage(posts, viewer)
    return [page.post(post) for post in page.posts]


def shows_only_its_rows(post: Post, mentions_covered: bool) -> bool:
    """Whether a post's diaspora rendering shows nothing but its rows, its author's and app's
    (and a reshare's root's): not so with mentions, whose people are shown as they now are
    (unless the page's key holds their versions), nor with a poll, whose counts and the
    viewer's own votes are the poll's rows."""
    shown = post.repost_of if post.repost_of_id else post
    if attached_reference(shown.annotations):
        return False
    return mentions_covered or not mentioned_ids(shown.entities or {})


def with_diaspora_viewer_flags(data: dict, context, post_id: int, author_id: int) -> dict:
    """A post rendered for no one (``posts_to_diaspora(posts, None, …)``) with the viewer's
    ``own_interaction_state``, as ``DiasporaPage.own_state`` words it; ``data`` itself, a
    cached rendering, is left as it is."""
    return {**data, "own_interaction_state": DiasporaPage.own_state_in(context, post_id, author_id)}


def numbered_guid(pk: int) -> str:
    """The guid of a conversation or a message: its id as 32 hex digits. Channels and
    messages have no guid column; this one is stable and turns back into the id."""
    return f"{pk:032x}"


def numbered_id(guid: str) -> int | None:
    """The id a ``numbered_guid`` names, or None for anything else."""
    text = parse_guid(guid)
    if text is None:
        return None
    pk = int(text, 16)
    return pk if 0 < pk <= MAX_ID else None


def conversation_message(message: Message) -> dict:
    return {
        "guid": numbered_guid(message.pk),
        "created_at": diaspora_time(message.created_at),
        "body": to_diaspora_body(message.text, message.entities or {}),
        "author": person(message.user),
    }


class ConversationPage:
    """Conversations (PM channels annotated with ``has_unread``) for their viewer, with their
    participants: one query for every channel's members, whatever the page size."""

    def __init__(self, channels: list[Channel]):
        self.channels = channels
        self.members: dict[int, list[User]] = {c.pk: [c.owner] for c in channels}
        rows = ChannelAcl.objects.filter(channel__in=channels).select_related("user")
        for acl in rows.order_by("id"):
            if acl.user.is_active and acl.user not in self.members[acl.channel_id]:
                self.members[acl.channel_id].append(acl.user)

    def conversation(self, channel: Channel) -> dict:
        return {
            "guid": numbered_guid(channel.pk),
            "subject": subject_of(channel) or NO_SUBJECT,
            "created_at": diaspora_time(channel.created_at),
            "read": not channel.has_unread,
            "participants": [person(user) for user in self.members[channel.pk]],
        }

    def data(self) -> list[dict]:
        return [self.conversation(channel) for channel in self.channels]
