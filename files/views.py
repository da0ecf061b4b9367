"""The files endpoints (App.net's, and pnut's where they are the same), avatars and covers, the
oEmbed lookup, and the one view that serves the bytes behind every signed URL.

Uploads are multipart (``content`` plus the metadata fields) or, for ``PUT files/{id}/content``,
the raw body; their limit is the file size limit, not the JSON body's (``max_body``, read by
``adn_api.middleware``).
"""

from __future__ import annotations

import json
import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe
from rest_framework.request import Request
from rest_framework.settings import api_settings

from adn_api.envelope import enveloped
from adn_api.errors import BadRequest
from adn_api.pagination import page_meta, read_cursor
from adn_api.parsers import body_object
from adn_api.permissions import PUBLIC, has_scope, user_token
from adn_api.uploads import StreamingMultiPartParser
from adn_api.views import ApiView
from core.errors import Reason, Refused
from core.inputs import flag_value
from core.paging import paginate
from posts.serializers import annotations_from_raw
from users.services.lookup import get_user

from .models import File
from .serializers import FileRendering
from .services import files, images, profile, store
from .services.annotations import oembed_value
from .services.incoming import Incoming

UPLOAD = user_token("upload")  # files, or any scope that writes annotations (App.net's rule)
UPLOAD_LIMIT = settings.FILE_MAX_BYTES + 1_000_000  # the file, and its multipart framing


def uploaded_bytes(request: Request, field: str = "content") -> bytes | None:
    """The upload's bytes: a multipart part, or (for a PUT of content) the raw body."""
    content_type = request.content_type or ""
    if content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
        upload = request.FILES.get(field)
        return files.read_upload(upload) if upload is not None else None
    if content_type.startswith("application/json"):
        return None
    return files.read_upload(request._request.read(settings.FILE_MAX_BYTES + 1))


def render_files(view: ApiView, items: list[File], write_for=frozenset()) -> list[dict]:
    """A page of files in the view's dialect: their owners in one query, their annotations
    (when asked for) with file references replaced in one more."""
    params = view.request.query_params
    names = ("include_file_annotations", "include_annotations", "include_file_raw", "include_raw")
    wanted = next((params[n] for n in names if n in params), "0")  # pnut says raw
    rendering = FileRendering(
        items,
        view.viewer,
        view.users_data,
        write_token_for=set(write_for),
        annotations=flag_value(wanted, "include_annotations"),
    )
    spell = rendering.pnut if view.dialect.name == "pnut" else rendering.adn
    return [spell(f) for f in items]


def _annotations_in(view: ApiView, data):
    """App.net's ``annotations`` list; pnut's ``raw`` ``{type: [value, …]}``."""
    if view.dialect.name == "pnut" and data.get("raw") is not None:
        raw = data.get("raw")
        if isinstance(raw, str):  # a multipart form carries it as JSON text
            try:
                raw = json.loads(raw)
            except ValueError:
                raise BadRequest("raw must be a JSON object of {type: [value, …]}.") from None
        return annotations_from_raw(raw)
    return data.get("annotations")


def _written(view: ApiView, file: File, status: int = 200):
    fresh = File.objects.for_rendering().get(pk=file.pk)
    return enveloped(render_files(view, [fresh], {fresh.pk})[0], status=status)


def _write_tokens(view: ApiView, items: list[File]) -> set[int]:
    """Write tokens go to the owner with the files scope, or to whoever passed one."""
    given = view.request.query_params.get("file_token")
    full = has_scope(view.request.auth, "files")
    return {
        f.pk
        for f in items
        if (full and f.user_id == view.viewer.pk) or (given and given == f.file_token)
    }


class FilesView(ApiView):
    """``POST files`` (multipart with content, or metadata only), ``GET files?ids=``.

    A multipart upload's ``content`` is taken as it arrives (``receive_upload``): hashed and
    written once to where it is kept, never held whole unless it may be an image."""

    access = {"POST": UPLOAD, "GET": user_token()}
    created_status = 200
    max_body = UPLOAD_LIMIT
    parser_classes = [StreamingMultiPartParser, *api_settings.DEFAULT_PARSER_CLASSES]

    def receive_upload(self, field: str, filename: str) -> Incoming | None:
        """The sink of a multipart file part (``StreamingMultiPartParser``): ``content``'s."""
        return Incoming(filename) if field == "content" else None

    def post(self, request: Request):
        data = body_object(request)
        received = request.FILES.get("content")
        try:
            file = files.create_file(
                self.viewer,
                type=data.get("type"),
                content=received if received is not None else uploaded_bytes(request),
                name=data.get("name") or getattr(received, "name", ""),
                kind=data.get("kind"),
                public=data.get("public", data.get("is_public", False)),  # pnut: is_public
                annotations=_annotations_in(self, data),
                source=self.source(),
            )
        finally:  # refused or failed: the spooled bytes go (there are none once stored)
            for sink in request.FILES.getlist("content"):
                sink.discard()
        return _written(self, file, self.created_status)

    def get(self, request: Request):
        ids = request.query_params.get("ids")
        if ids is None:
            raise BadRequest("ids is required: a comma-separated list of file ids.")
        token = request.query_params.get("file_token")
        items = files.files_by_ids(self.viewer, ids, token)
        return enveloped(render_files(self, items, _write_tokens(self, items)))


class FileView(ApiView):
    access = {
        "GET": user_token(),
        "PUT": user_token("files"),
        "PATCH": user_token("files"),
        "DELETE": user_token("files"),
    }

    def get(self, request: Request, file_id: str):
        file = files.get_file(self.viewer, file_id, request.query_params.get("file_token"))
        return enveloped(render_files(self, [file], _write_tokens(self, [file]))[0])

    def put(self, request: Request, file_id: str):
        data = body_object(request)
        file = files.own_file(self.viewer, file_id, request.query_params.get("file_token"))
        files.update_file(
            self.viewer,
            file,
            name=data.get("name"),
            public=data.get("public", data.get("is_public")),
            annotations=_annotations_in(self, data),
        )
        return _written(self, file)

    patch = put

    def delete(self, request: Request, file_id: str):
        file = files.own_file(self.viewer, file_id, request.query_params.get("file_token"))
        rendered = render_files(self, [file])[0]
        files.delete_file(self.viewer, file)
        return enveloped(rendered)


class FileContentView(ApiView):
    """``GET files/{id}/content``: a redirect to the bytes' signed URL; ``PUT``: set them."""

    access = {"GET": user_token(), "PUT": UPLOAD}
    max_body = UPLOAD_LIMIT

    def get(self, request: Request, file_id: str):
        file = files.get_file(self.viewer, file_id, request.query_params.get("file_token"))
        if not file.complete:
            raise Refused(Reason.NOT_FOUND, f"File {file.pk} has no content yet.", subject="file")
        return HttpResponseRedirect(store.link(file.pk).url)

    def put(self, request: Request, file_id: str):
        file = files.own_file(self.viewer, file_id, request.query_params.get("file_token"))
        content = uploaded_bytes(request)
        if content is None:
            raise BadRequest("The file's content is required (the body, or a content part).")
        files.set_content(self.viewer, file, content)
        return _written(self, file)


class MyFilesView(ApiView):
    """``GET users/me/files``: the user's files, newest first, paginated by id."""

    access = {"GET": user_token("files")}

    def get(self, request: Request):
        params = request.query_params
        rows = File.objects.filter(user=self.viewer, purpose=File.Purpose.FILE)
        if not flag_value(params.get("include_incomplete", "1"), "include_incomplete"):
            rows = rows.filter(complete=True)
        if not flag_value(params.get("include_private", "1"), "include_private"):
            rows = rows.filter(public=True)
        if kinds := params.get("file_types"):
            rows = rows.filter(type__in=[k for k in kinds.split(",") if k])
        result = paginate(rows.for_rendering(), read_cursor(request))
        items = list(result.items)
        data = render_files(self, items, _write_tokens(self, items))
        for item, row in zip(data, items, strict=True):
            item["pagination_id"] = str(row.pagination_id)
        return enveloped(data, page_meta(items, result.more))


class ProfileImageView(ApiView):
    """``POST users/me/avatar`` (or ``cover``), multipart; ``GET users/{id}/avatar``: a
    redirect to the image (the default one for a user who never uploaded); pnut's ``DELETE
    users/me/avatar``: back to the default."""

    access = {
        "GET": PUBLIC,
        "POST": user_token("update_profile"),
        "DELETE": user_token("update_profile"),
    }
    purpose = File.Purpose.AVATAR
    max_body = UPLOAD_LIMIT

    def get(self, request: Request, user_id: str):
        user = get_user(user_id, self.viewer)
        rendered = self.user_data(user)
        key = "avatar_image" if self.purpose == File.Purpose.AVATAR else "cover_image"
        image = rendered.get(key) or rendered["content"][key]
        return HttpResponseRedirect(image.get("url") or image["link"])

    def post(self, request: Request, user_id: str):
        if user_id != "me" and get_user(user_id, self.viewer).pk != self.viewer.pk:
            raise Refused(Reason.NOT_ALLOWED, "You can only change your own images (users/me).")
        content = uploaded_bytes(request, self.purpose)
        if content is None:
            content = uploaded_bytes(request, "content")
        if content is None:
            raise BadRequest(f"The image is required: a multipart part named {self.purpose}.")
        user = profile.set_profile_image(self.viewer, content, self.purpose, source=self.source())
        return enveloped(self.user_data(user))

    def delete(self, request: Request, user_id: str):
        if user_id != "me" and get_user(user_id, self.viewer).pk != self.viewer.pk:
            raise Refused(Reason.NOT_ALLOWED, "You can only change your own images (users/me).")
        return enveloped(self.user_data(profile.clear_profile_image(self.viewer, self.purpose)))


class OEmbedView(ApiView):
    """``GET oembed?url=``: the photo oEmbed of a public image, by its permanent URL."""

    access = {"GET": PUBLIC}

    def get(self, request: Request):
        url = request.query_params.get("url", "")
        prefix = f"{settings.PUBLIC_URL}/files/content/"
        signed = store.unsign(url[len(prefix) :]) if url.startswith(prefix) else None
        file = None
        if signed is not None and signed.permanent and not signed.derived_key:
            file = File.objects.filter(pk=signed.file_id, public=True, complete=True).first()
        if file is None or not file.is_image:
            raise Refused(Reason.NOT_FOUND, "No public photo at that url.", subject="file")
        value = oembed_value(file)
        value.pop("file_token", None)
        return enveloped(value)


@require_safe
def serve_content(request: HttpRequest, token: str) -> HttpResponse:
    """The bytes behind a signed URL. A plain image is shown as itself; anything else is an
    attachment of an opaque type, and nothing is ever sniffed or run in this origin."""
    signed = store.unsign(token)
    if signed is None:
        raise Http404("This link has expired or is not valid.")
    file = File.objects.filter(pk=signed.file_id, complete=True).first()
    if file is None or (signed.permanent and not file.public):
        raise Http404("No such file.")
    if signed.derived_key:
        derived = file.derived.get(signed.derived_key)
        if derived is None:
            raise Http404("No such derived file.")
        key, mime, name = derived["storage_key"], derived["mime_type"], derived["name"]
    else:
        key, mime, name = file.storage_key, file.mime_type, file.name
    inline = mime in images.INLINE_MIME_TYPES
    try:
        handle = store.storage().open(key, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such file.") from None
    response = FileResponse(
        handle,
        content_type=mime if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=_filename(name or f"file-{file.pk}", mime),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400" if signed.permanent else "private"
    return response


def _filename(name: str, mime: str) -> str:
    if "." in name:
        return name
    return name + (mimetypes.guess_extension(mime) or "")
