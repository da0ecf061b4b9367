"""Files in the admin: a thumbnail, the size and the owner of each; moderators delete them
(the row, then its bytes, as the API's delete does)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html

from .models import File
from .services import store
from .services.files import delete_file


@admin.register(File)
class FileAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "thumbnail",
        "name",
        "owner",
        "kind",
        "mime_type",
        "size_shown",
        "public",
        "complete",
        "created_at",
    )
    list_filter = ("kind", "purpose", "public", "complete")
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "sha1")
    raw_id_fields = ("user", "source")
    show_full_result_count = False
    actions = ("delete_files",)
    readonly_fields = [f.name for f in File._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # files come in through the API, which checks and stores the bytes

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a queryset delete would leave the bytes
        return actions

    @admin.display(description="preview")
    def thumbnail(self, file: File) -> str:
        if not file.is_image or not file.complete:
            return "–"
        key = "image_thumb_200s" if "image_thumb_200s" in file.derived else ""
        return format_html(
            '<img src="{}" width="64" height="64" style="object-fit:cover" alt="">',
            store.link(file.pk, key).url,
        )

    @admin.display(ordering="user__username", description="owner")
    def owner(self, file: File) -> str:
        return format_html(
            '<a href="{}">@{}</a>',
            reverse("admin:users_user_change", args=[file.user_id]),
            file.user.username,
        )

    @admin.display(ordering="total_size", description="size")
    def size_shown(self, file: File) -> str:
        return filesizeformat(file.total_size)

    @admin.action(description="Delete selected files (and their bytes)", permissions=["delete"])
    def delete_files(self, request: HttpRequest, queryset: QuerySet) -> None:
        files = list(queryset.order_by("id"))
        self.log_deletions(request, files)  # as Django's own deletion does: before it
        for file in files:
            delete_file(file.user, file)
        self.message_user(request, f"Deleted {len(files)} file(s).", messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: File) -> None:
        delete_file(obj.user, obj)
