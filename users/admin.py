"""Admin for accounts and the follow/mute/block graph."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
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

    # Who may change users without being a superuser (the moderators group) may suspend them,
    # not hand out admin rights: not their own or anyone's, nor sign in as a superuser.
    PRIVILEGES = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return (*fields, *(f for f in self.PRIVILEGES if f not in fields))

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied  # a password set here would open another's account
        return super().user_change_password(request, id, form_url)

    @admin.action(description="Suspend selected users", permissions=["change"])
    def suspend_users(self, request, queryset) -> None:
        # Suspension: no sign-in, tokens refused, posts hidden; see users/services/moderation.py.
        chosen = list(queryset.exclude(pk=request.user.pk))
        if len(chosen) < len(queryset):
            self.message_user(request, "You cannot suspend yourself.", messages.WARNING)
        if not request.user.is_superuser and any(u.is_superuser for u in chosen):
            chosen = [u for u in chosen if not u.is_superuser]
            self.message_user(request, "Only a superuser suspends a superuser.", messages.WARNING)
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
