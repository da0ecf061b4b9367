"""Admin for channels, messages and the queue of reported messages.

Channels and messages are read-only here: a change by hand would skip what the domain keeps
true (ACLs, counters, unread rows). Moderators delete messages and act on reports through the
actions below, which call the same services as the API (messaging.services.moderation). The
reports of messages are in the one reports queue (posts.admin.ReportAdmin).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from posts.admin import ModerationPermissions, excerpt_of

from .models import Channel, Message
from .services import moderation


def user_link(user) -> str:
    return format_html(
        '<a href="{}">@{}</a>{}',
        reverse("admin:users_user_change", args=[user.pk]),
        user.username,
        "" if user.is_active else " (suspended)",
    )


class ReadOnly:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made through the API, which checks and fans them out

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a raw delete would skip the counters and unread rows


@admin.register(Channel)
class ChannelAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "type", "owner_link", "message_count", "is_inactive", "created_at")
    list_filter = ("type", "is_inactive", "readers_public")
    list_select_related = ("owner",)
    search_fields = ("type", "owner__username")
    search_help_text = "Type or owner's username."
    show_full_result_count = False
    raw_id_fields = ("owner", "recent_message")

    @admin.display(description="owner", ordering="owner__username")
    def owner_link(self, channel: Channel) -> str:
        return user_link(channel.owner)


@admin.register(Message)
class MessageAdmin(ModerationPermissions, ReadOnly, admin.ModelAdmin):
    list_display = ("id", "author", "channel", "text_excerpt", "created_at", "is_deleted")
    list_display_links = ("id", "text_excerpt")
    list_filter = ("is_deleted", "machine_only", "created_at")
    list_select_related = ("user", "channel")
    search_fields = ("text", "user__username")
    search_help_text = "Text or author's username."
    date_hierarchy = "created_at"
    show_full_result_count = False
    raw_id_fields = ("channel", "user", "reply_to", "source")
    actions = ("delete_as_moderator",)

    @admin.display(ordering="user__username")
    def author(self, message: Message) -> str:
        return user_link(message.user)

    @admin.display(description="text")
    def text_excerpt(self, message: Message) -> str:
        return excerpt_of(message)

    @admin.action(description="Delete selected messages", permissions=["moderate"])
    def delete_as_moderator(self, request: HttpRequest, queryset: QuerySet) -> None:
        deleted = 0
        for message in queryset.order_by("id"):
            if moderation.delete_as_moderator(message.pk):
                deleted += 1
                self.log_change(request, message, "Deleted as moderator")
        self.message_user(request, f"Deleted {deleted} message(s).", messages.SUCCESS)
