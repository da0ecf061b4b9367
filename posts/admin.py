"""Admin for posts and the moderation queue of reports.

Posts are read-only here: a change by hand would skip what the domain keeps true (entities,
counters, streams). Moderators delete through the actions below, which call the same deletion
as the API's (posts.services.moderation).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html

from .models import Post, Report
from .services import moderation


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
        return truncatechars(post.text, 80) or ("(deleted)" if post.is_deleted else "(no text)")

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
    """The moderation queue: newest open reports first."""

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
    list_select_related = ("post", "post__user", "reporter")
    search_fields = ("reason", "post__text", "post__user__username", "reporter__username")
    search_help_text = "Reason, reported text, author's or reporter's username."
    ordering = ("-created_at",)
    readonly_fields = ("post", "reporter", "reason", "status", "created_at")
    actions = ("dismiss", "delete_content", "suspend_author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # users report through the API

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a report's state changes through the actions

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # dismissed and actioned reports are the queue's history

    @admin.display(description="kind")
    def kind(self, report: Report) -> str:
        return kind_of(report.post)

    @admin.display(description="content")
    def reported_content(self, report: Report) -> str:
        post = report.post
        text = truncatechars(post.text, 80) or ("(deleted)" if post.is_deleted else "(no text)")
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:posts_post_change", args=[post.pk]), text
        )

    @admin.display(description="author", ordering="post__user__username")
    def author(self, report: Report) -> str:
        user = report.post.user
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
        deleted, actioned = moderation.delete_reported_content([r.pk for r in chosen])
        self._log(request, chosen, "Deleted the reported content")
        self.message_user(
            request, f"Deleted {deleted} post(s); {actioned} report(s) actioned.", messages.SUCCESS
        )

    @admin.action(
        description="Suspend the authors of the reported content", permissions=["moderate"]
    )
    def suspend_author(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset.select_related("post"))
        if any(report.post.user_id == request.user.pk for report in chosen):
            self.message_user(request, "You cannot suspend yourself.", messages.ERROR)
            return
        suspended, actioned = moderation.suspend_reported_authors([r.pk for r in chosen])
        self._log(request, chosen, "Suspended the author")
        self.message_user(
            request,
            f"Suspended {suspended} user(s); {actioned} report(s) actioned.",
            messages.SUCCESS,
        )
