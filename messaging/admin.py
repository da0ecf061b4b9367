"""Admin for channels, messages and the queue of reported messages.

Channels and messages are read-only here: a change by hand would skip what the domain keeps
true (ACLs, counters, unread rows). Moderators delete messages and act on reports through the
actions below, which call the same services as the API (messaging.services.moderation). The
reports of messages are their own queue, beside the reports of posts.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html

from posts.admin import ModerationPermissions

from .models import Channel, Message, MessageReport
from .services import moderation


def excerpt(message: Message) -> str:
    return truncatechars(message.text, 80) or ("(deleted)" if message.is_deleted else "(no text)")


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
        return excerpt(message)

    @admin.action(description="Delete selected messages", permissions=["moderate"])
    def delete_as_moderator(self, request: HttpRequest, queryset: QuerySet) -> None:
        deleted = 0
        for message in queryset.order_by("id"):
            if moderation.delete_as_moderator(message.pk):
                deleted += 1
                self.log_change(request, message, "Deleted as moderator")
        self.message_user(request, f"Deleted {deleted} message(s).", messages.SUCCESS)


@admin.register(MessageReport)
class MessageReportAdmin(ModerationPermissions, ReadOnly, admin.ModelAdmin):
    """The queue of reported messages: newest first."""

    list_display = ("created_at", "status", "reported_message", "author", "reporter", "reason")
    list_filter = ("status", "created_at")
    list_select_related = ("message", "message__user", "reporter")
    search_fields = ("reason", "message__text", "message__user__username", "reporter__username")
    search_help_text = "Reason, reported text, author's or reporter's username."
    ordering = ("-created_at",)
    actions = ("dismiss", "delete_content", "suspend_author")

    @admin.display(description="message")
    def reported_message(self, report: MessageReport) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:messaging_message_change", args=[report.message_id]),
            excerpt(report.message),
        )

    @admin.display(description="author", ordering="message__user__username")
    def author(self, report: MessageReport) -> str:
        return user_link(report.message.user)

    def _done(self, request, queryset, message: str, summary: str) -> None:
        for report in queryset:
            self.log_change(request, report, message)
        self.message_user(request, summary, messages.SUCCESS)

    @admin.action(description="Dismiss selected reports", permissions=["moderate"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset)
        dismissed = moderation.dismiss_reports([r.pk for r in chosen])
        self._done(request, chosen, "Dismissed", f"Dismissed {dismissed} open report(s).")

    @admin.action(description="Delete the reported messages", permissions=["moderate"])
    def delete_content(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset)
        deleted, actioned = moderation.delete_reported_messages([r.pk for r in chosen])
        summary = f"Deleted {deleted} message(s); {actioned} report(s) actioned."
        self._done(request, chosen, "Deleted the reported message", summary)

    @admin.action(
        description="Suspend the authors of the reported messages", permissions=["moderate"]
    )
    def suspend_author(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset.select_related("message"))
        if any(report.message.user_id == request.user.pk for report in chosen):
            self.message_user(request, "You cannot suspend yourself.", messages.ERROR)
            return
        suspended, actioned = moderation.suspend_reported_authors([r.pk for r in chosen])
        summary = f"Suspended {suspended} user(s); {actioned} report(s) actioned."
        self._done(request, chosen, "Suspended the author", summary)
