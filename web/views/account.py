"""Pages for someone signed in (a session on the same accounts as OAuth): their streams,
posting (with a photo), interactions, private messages, their profile and the apps they
authorised."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from oauth2_provider.models import get_access_token_model, revoke_access_token

from core.errors import invalid
from core.paging import Cursor
from files.services import images
from files.services.files import create_file, read_upload
from files.services.profile import set_profile_image
from interactions.services import group, interactions_for
from messaging.models import ChannelAcl
from messaging.services.conversations import conversations_of, get_conversation, set_read
from messaging.services.messages import post_message, send_pm
from messaging.services.reading import channel_messages
from posts.options import BY_ID
from posts.services.lookup import get_post
from posts.services.posting import create_post
from streams.services.page import Stream
from users.services.profile import update_profile

from ..cached import load_cards
from ..forms import ComposeForm, MessageForm, NewConversationForm, ProfileForm
from ..pages import STREAM, answers_refusals, back_to, page_response, stream_page, viewer_of
from ..rendering import avatar_of, linked_html, post_url
from .public import stream_or_fragment

AccessToken = get_access_token_model()
PHOTO_TYPE = "net.app.web.photo"
INBOX_SIZE = 50
CONVERSATION_SIZE = 50


def _stream(request: HttpRequest, stream: Stream, title: str) -> HttpResponse:
    viewer = viewer_of(request)
    context = {
        "stream": stream_page(request, viewer, stream, STREAM),
        "title": title,
        "form": ComposeForm(),
    }
    return stream_or_fragment(request, "web/stream.html", context)


@login_required
@answers_refusals
def home(request: HttpRequest) -> HttpResponse:
    """The personal stream: the people followed, and oneself."""
    return _stream(request, Stream.personal(), "Your stream")


@login_required
@answers_refusals
def unified(request: HttpRequest) -> HttpResponse:
    """The personal stream with the posts that mention the viewer."""
    return _stream(request, Stream.unified(), "Your stream and mentions")


def photo_annotation(viewer, upload) -> dict:
    """The photo, stored as a public image file of the viewer's, as the oEmbed annotation App.net
    clients read (``+net.app.core.file`` resolves to the photo when the post is read)."""
    content = read_upload(upload)
    if not images.inspect(content).is_image:
        raise invalid("The photo must be a PNG, JPEG, GIF or WebP image.")
    file = create_file(
        viewer,
        type=PHOTO_TYPE,
        content=content,
        name=(upload.name or "photo")[:255],
        kind="image",
        public=True,
    )
    reference = {"file_id": str(file.pk), "file_token": file.file_token, "format": "oembed"}
    return {"type": "net.app.core.oembed", "value": {"+net.app.core.file": reference}}


@login_required
@answers_refusals
def compose(request: HttpRequest) -> HttpResponse:
    """GET: the form (``?reply_to=ID`` shows the post replied to); POST: the post."""
    viewer = viewer_of(request)
    if request.method != "POST":
        reply_to = request.GET.get("reply_to", "")
        replied = get_post(reply_to, viewer) if reply_to else None
        initial = {"reply_to": reply_to}
        if replied is not None and replied.original.user_id != viewer.pk:
            initial["text"] = f"@{replied.original.user.username} "
        context = {
            "form": ComposeForm(initial=initial),
            "replied": load_cards([replied], viewer)[0][0] if replied else None,
        }
        return page_response(request, "web/compose.html", context)
    form = ComposeForm(request.POST, request.FILES)
    if not form.is_valid():
        return page_response(request, "web/compose.html", {"form": form}, status=400)
    data = form.cleaned_data
    with transaction.atomic():  # a refused post leaves no photo behind
        annotations = [photo_annotation(viewer, data["photo"])] if data["photo"] else []
        created = create_post(
            viewer,
            text=data["text"],
            reply_to=data["reply_to"] or None,
            annotations=annotations,
        )
    return back_to(request, post_url(created))


@login_required
@answers_refusals
def interactions(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    rows = list(interactions_for(viewer).order_by("-id")[:INBOX_SIZE])
    return page_response(request, "web/interactions.html", {"groups": group(rows)})


def _participants(channel, viewer) -> list:
    members = {channel.owner_id: channel.owner}
    members.update({row.user_id: row.user for row in channel.acl.all()})
    return [user for pk, user in members.items() if pk != viewer.pk]


@login_required
@answers_refusals
def inbox(request: HttpRequest) -> HttpResponse:
    """The viewer's private conversations, newest message first, and a form to start one."""
    viewer = viewer_of(request)
    form = NewConversationForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return page_response(request, "web/inbox.html", {"form": form}, status=400)
        names = [f"@{name.lstrip('@')}" for name in form.cleaned_data["to"].split()]
        message = send_pm(viewer, names, text=form.cleaned_data["text"])
        return redirect("web:conversation", message.channel_id)
    channels = list(
        conversations_of(viewer)
        .select_related("owner", "recent_message", "recent_message__user")
        .prefetch_related(Prefetch("acl", ChannelAcl.objects.select_related("user")))
        .order_by(F("recent_message_id").desc(nulls_last=True))[:INBOX_SIZE]
    )
    rows = [(c, _participants(c, viewer)) for c in channels]
    return page_response(request, "web/inbox.html", {"form": form, "rows": rows})


@login_required
@answers_refusals
def conversation(request: HttpRequest, channel_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    channel = get_conversation(viewer, channel_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            post_message(viewer, channel, text=form.cleaned_data["text"])
            return redirect("web:conversation", channel.pk)
        status = 400
    else:
        status = 200
    found = channel_messages(viewer, channel, BY_ID, Cursor(count=CONVERSATION_SIZE))
    messages = [(m, linked_html(m.html)) for m in reversed(found.items)]
    set_read(viewer, channel, True)
    people = list(ChannelAcl.objects.filter(channel=channel).select_related("user"))
    context = {
        "channel": channel,
        "messages": messages,
        "form": form,
        "people": [channel.owner, *(row.user for row in people)],
    }
    return page_response(request, "web/conversation.html", context, status=status)


@login_required
@answers_refusals
def edit_profile(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if request.method != "POST":
        form = ProfileForm(initial={"name": viewer.name, "bio": viewer.description_text})
        context = {"form": form, "avatar": avatar_of(viewer)}
        return page_response(request, "web/edit_profile.html", context)
    form = ProfileForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {"form": form, "avatar": avatar_of(viewer)}
        return page_response(request, "web/edit_profile.html", context, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        changes = {"name": data["name"], "description": {"text": data["bio"]}}
        update_profile(viewer, changes, replace=False)
        if data["avatar"]:
            set_profile_image(viewer, read_upload(data["avatar"]), "avatar")
    return redirect("web:profile", viewer.username)


@login_required
def apps(request: HttpRequest) -> HttpResponse:
    """The apps holding a token of the viewer's, each with its newest token's scopes."""
    viewer = viewer_of(request)
    tokens = AccessToken.objects.filter(user=viewer).select_related("application")
    found: dict[int, dict] = {}
    for token in tokens.order_by("-id"):
        if token.application_id is None:
            continue
        entry = found.setdefault(
            token.application_id,
            {"app": token.application, "scopes": token.scope, "since": token.created, "n": 0},
        )
        entry["n"] += 1
    return page_response(request, "web/apps.html", {"apps": list(found.values())})


@require_POST
@login_required
def revoke_app(request: HttpRequest, app_id: int) -> HttpResponse:
    """Every token of the viewer's for this app goes (with its refresh token, DOT's revoke)."""
    viewer = viewer_of(request)
    with transaction.atomic():
        for token in AccessToken.objects.filter(user=viewer, application_id=app_id):
            revoke_access_token(token)
    return redirect(reverse("web:apps"))
