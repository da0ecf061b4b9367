"""What a page of channels needs besides its rows, in one query whatever its size: each
channel's ACL users and subscriber count, and the viewer's subscriptions, mutes and unread
channels, and their unread counts by channel type — one UNION of (kind, channel, value) rows.

A channel's ``channel:ID`` stream marker rides on the page's own query instead
(``ChannelQuerySet.for_rendering``): it has more fields than one value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, IntegerField, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.dateparse import parse_datetime

from streams.models import StreamMarker
from users.models import User

from ..models import ChannelAcl, ChannelMute, Subscription, Unread
from ..options import BROADCAST, PM


@dataclass
class ChannelRelations:
    acl: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    subscribed: set[int] = field(default_factory=set)
    muted: set[int] = field(default_factory=set)
    unread: set[int] = field(default_factory=set)
    subscribers: dict[int, int] = field(default_factory=dict)
    unread_counts: dict[str, int] = field(default_factory=dict)


def _tagged(rows: QuerySet, kind, channel, value) -> QuerySet:
    kind = Value(kind, output_field=CharField()) if isinstance(kind, str) else kind
    channel = F(channel) if isinstance(channel, str) else channel
    value = Value(value, output_field=IntegerField()) if isinstance(value, int) else value
    return rows.annotate(k=kind, c=channel, v=value).values_list("k", "c", "v")


def channel_relations(
    viewer: User | None, channel_ids: list[int], *, unread_counts: bool = False
) -> ChannelRelations:
    relations = ChannelRelations()
    if not channel_ids and not unread_counts:
        return relations
    parts = [
        _tagged(
            ChannelAcl.objects.filter(channel_id__any=channel_ids).order_by(),
            Concat(Value("acl:"), F("role"), output_field=CharField()),
            "channel_id",
            F("user_id"),
        ),
        _tagged(
            Subscription.objects.filter(channel_id__any=channel_ids)
            .order_by()
            .values("channel_id"),
            "subscribers",
            "channel_id",
            Count("id"),
        ),
    ]
    if viewer is not None:
        mine = {"user_id": viewer.pk, "channel_id__any": channel_ids}
        parts += [
            _tagged(Subscription.objects.filter(**mine).order_by(), "subscribed", "channel_id", 0),
            _tagged(ChannelMute.objects.filter(**mine).order_by(), "muted", "channel_id", 0),
            _tagged(
                Unread.objects.filter(**mine).order_by().values("channel_id").distinct(),
                "unread",
                "channel_id",
                0,
            ),
        ]
        if unread_counts:
            parts.append(
                _tagged(
                    Unread.objects.filter(
                        user_id=viewer.pk,
                        channel__type__in=[PM, BROADCAST],
                        channel__is_inactive=False,
                    )
                    .order_by()
                    .values("channel__type"),
                    Concat(Value("count:"), F("channel__type"), output_field=CharField()),
                    Value(0, output_field=IntegerField()),
                    Count("channel_id", distinct=True),
                )
            )
    query = parts[0].union(*parts[1:], all=True)
    for kind, channel_id, value in query:
        if kind.startswith("acl:"):
            relations.acl[(channel_id, kind[4:])].append(value)
        elif kind == "subscribers":
            relations.subscribers[channel_id] = value
        elif kind.startswith("count:"):
            relations.unread_counts[kind[6:]] = value
        else:
            getattr(relations, kind).add(channel_id)
    return relations


def marker_of(row) -> StreamMarker | None:
    fields = getattr(row, "marker_fields", None)
    if not fields:
        return None
    return StreamMarker(
        user_id=0,
        name=fields["name"],
        post_id=fields["id"],
        last_read_id=fields["last_read_id"],
        percentage=fields["percentage"],
        updated_at=parse_datetime(str(fields["updated_at"])),
        version=fields["version"],
    )
