"""Admin for posts and the one moderation queue of reports, of posts and of messages.

Posts are read-only here: a change by hand would skip what the domain keeps true (entities,
counters, streams). Moderators delete through the actions below, which call the same deletion
as the API's (posts.services.moderation, and messaging.services.moderation for a message).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html

from messaging.services import moderation as message_moderation

from .models import Post, Report
from .services import moderation


def excerpt_of(item) -> str:
    """A post's or a message's text, shortened for a list."""
    return truncatechars(item.text, 80) or ("(deleted)" if item.is_deleted else "(no text)")


def kind_of(post: Post) -> str:
    if post.repost_of_id:
        return "repost"
    # A diaspora comment is a reply post.
    return "reply / comment" if post.reply_to_id else "post"


class ModerationPermissions:
    """Moderating takes the permission to change the model (superusers have it)."""

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


@admin.register(Post)
class PostAdmin(ModerationPermissions, admin.ModelAdmin):
    list_display = (
        "id",
        "author",
        "kind",
        "excerpt",
        "created_at",
        "is_deleted",
        "num_replies",
        "num_stars",
        "num_reposts",
    )
    list_display_links = ("id", "excerpt")
    list_filter = ("is_deleted", "machine_only", "is_nsfw", "created_at")
    list_select_related = ("user",)
    search_fields = ("text", "user__username", "guid")
    search_help_text = "Text, author's username or guid."
    date_hierarchy = "created_at"
    show_full_result_count = False  # a COUNT(*) over every post on each page is slow
    raw_id_fields = ("user", "reply_to", "repost_of", "source")
    actions = ("delete_as_moderator",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # posts are made through the API, which parses and fans them out

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a raw delete would skip the counters: use the action

    @admin.display(ordering="user__username")
    def author(self, post: Post) -> str:
        return format_html(
            '<a href="{}">@{}</a>{}',
            reverse("admin:users_user_change", args=[post.user_id]),
            post.user.username,
            "" if post.user.is_active else " (suspended)",
        )

    @admin.display(description="kind")
    def kind(self, post: Post) -> str:
        return kind_of(post)

    @admin.display(description="text")
    def excerpt(self, post: Post) -> str:
        return excerpt_of(post)

    @admin.action(
        description="Delete selected posts (as their authors would)", permissions=["moderate"]
    )
    def delete_as_moderator(self, request: HttpRequest, queryset: QuerySet) -> None:
        deleted = 0
        for post in queryset.order_by("id"):
            if moderation.delete_as_moderator(post.pk):
                deleted += 1
                self.log_change(request, post, "Deleted as moderator")
        self.message_user(request, f"Deleted {deleted} post(s).", messages.SUCCESS)


@admin.register(Report)
class ReportAdmin(ModerationPermissions, admin.ModelAdmin):
    """The moderation queue, of posts and of messages: newest reports first."""

    list_display = (
        "created_at",
        "status",
        "kind",
        "reported_content",
        "author",
        "reporter",
        "reason",
    )
    list_filter = ("status", "created_at")
    list_select_related = ("post", "post__user", "message", "message__user", "reporter")
    search_fields = (
        "reason",
        "post__text",
        "post__user__username",
        "message__text",
        "message__user__username",
        "reporter__username",
    )
    search_help_text = "Reason, reported text, author's or reporter's username."
    ordering = ("-created_at",)
    readonly_fields = ("post", "message", "reporter", "reason", "status", "created_at")
    actions = ("dismiss", "delete_content", "suspend_author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # users report through the API

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a report's state changes through the actions

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # dismissed and actioned reports are the queue's history

    @admin.display(description="kind")
    def kind(self, report: Report) -> str:
        return "message" if report.message_id else kind_of(report.post)

    @admin.display(description="content")
    def reported_content(self, report: Report) -> str:
        if report.message_id:
            target = reverse("admin:messaging_message_change", args=[report.message_id])
            return format_html('<a href="{}">{}</a>', target, excerpt_of(report.message))
        target = reverse("admin:posts_post_change", args=[report.post_id])
        return format_html('<a href="{}">{}</a>', target, excerpt_of(report.post))

    @admin.display(description="author")
    def author(self, report: Report) -> str:
        user = report.message.user if report.message_id else report.post.user
        return format_html(
            '<a href="{}">@{}</a>{}',
            reverse("admin:users_user_change", args=[user.pk]),
            user.username,
            "" if user.is_active else " (suspended)",
        )

    def _log(self, request: HttpRequest, queryset: QuerySet, message: str) -> None:
        for report in queryset:
            self.log_change(request, report, message)

    @admin.action(description="Dismiss selected reports", permissions=["moderate"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset)
        dismissed = moderation.dismiss_reports([r.pk for r in chosen])
        self._log(request, chosen, "Dismissed")
        self.message_user(request, f"Dismissed {dismissed} open report(s).", messages.SUCCESS)

    @admin.action(description="Delete the reported content", permissions=["moderate"])
    def delete_content(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset)
        ids = [r.pk for r in chosen]
        posts, actioned = moderation.delete_reported_content(ids)
        # Name each kind the moderator chose.
        deleted = [f"{posts} post(s)"] if any(r.post_id for r in chosen) else []
        if any(r.message_id for r in chosen):
            sent, settled = message_moderation.delete_reported_messages(ids)
            deleted.append(f"{sent} message(s)")
            actioned += settled
        self._log(request, chosen, "Deleted the reported content")
        summary = f"Deleted {' and '.join(deleted)}; {actioned} report(s) actioned."
        self.message_user(request, summary, messages.SUCCESS)

    @admin.action(
        description="Suspend the authors of the reported content", permissions=["moderate"]
    )
    def suspend_author(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset.select_related("post", "message"))
        authors = {(r.message or r.post).user_id for r in chosen}
        if request.user.pk in authors:
            self.message_user(request, "You cannot suspend yourself.", messages.ERROR)
            return
        ids = [r.pk for r in chosen]
        # The second call suspends only who is still active: no one is counted twice.
        suspended, actioned = moderation.suspend_reported_authors(ids)
        more, settled = message_moderation.suspend_reported_authors(ids)
        self._log(request, chosen, "Suspended the author")
        self.message_user(
            request,
            f"Suspended {suspended + more} user(s); {actioned + settled} report(s) actioned.",
            messages.SUCCESS,
        )
