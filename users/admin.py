"""Admin for accounts and the follow/mute/block graph."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import models

from .models import Block, Follow, Mute, User
from .services.moderation import suspend, unsuspend


@admin.register(User)
class ADNUserAdmin(UserAdmin):
    # UserAdmin's forms are rebuilt for this model by get_form, so they need no subclass.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "username",
        "name",
        "type",
        "followers_count",
        "following_count",
        "posts_count",
        "stars_count",
        "is_active",
        "date_joined",
    )
    list_filter = ("type", "is_active", "is_staff")
    search_fields = ("username", "name", "email")
    ordering = ("-date_joined",)
    actions = ("suspend_users", "unsuspend_users")
    # Counters follow the rows they count; editing them by hand would make them lie.
    readonly_fields = ("followers_count", "following_count", "posts_count", "stars_count", "guid")
    fieldsets = (
        (None, {"fields": ("username", "password", "email")}),
        (
            "Profile",
            {
                "fields": (
                    "name",
                    "type",
                    "description_text",
                    "locale",
                    "timezone",
                    "avatar_url",
                    "cover_url",
                    "guid",
                )
            },
        ),
        (
            "Counts",
            {"fields": ("followers_count", "following_count", "posts_count", "stars_count")},
        ),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )

    @admin.action(description="Suspend selected users", permissions=["change"])
    def suspend_users(self, request, queryset) -> None:
        # Suspension: no sign-in, tokens refused, posts hidden; see users/services/moderation.py.
        chosen = list(queryset.exclude(pk=request.user.pk))
        if len(chosen) < len(queryset):
            self.message_user(request, "You cannot suspend yourself.", messages.WARNING)
        suspended = set(suspend(u.pk for u in chosen))
        for user in chosen:
            if user.pk in suspended:
                self.log_change(request, user, "Suspended")
        self.message_user(request, f"Suspended {len(suspended)} user(s).", messages.SUCCESS)

    @admin.action(description="Lift the suspension of selected users", permissions=["change"])
    def unsuspend_users(self, request, queryset) -> None:
        chosen = list(queryset)
        restored = set(unsuspend(u.pk for u in chosen))
        for user in chosen:
            if user.pk in restored:
                self.log_change(request, user, "Suspension lifted")
        self.message_user(request, f"Restored {len(restored)} user(s).", messages.SUCCESS)


class RelationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_at")
    date_hierarchy = "created_at"


@admin.register(Follow)
class FollowAdmin(RelationAdmin):
    raw_id_fields = ("follower", "followee")
    search_fields = ("follower__username", "followee__username")


@admin.register(Mute)
class MuteAdmin(RelationAdmin):
    raw_id_fields = ("muter", "muted")
    search_fields = ("muter__username", "muted__username")


@admin.register(Block)
class BlockAdmin(RelationAdmin):
    raw_id_fields = ("blocker", "blocked")
    search_fields = ("blocker__username", "blocked__username")
