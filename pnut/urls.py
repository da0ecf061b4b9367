"""pnut's routes, mounted at ``/v1/``: App.net's views where pnut does the same, spoken in pnut
(``dialect=PNUT``), and pnut's own views where its verbs or answers differ. Fixed paths come
before ``posts/<post_id>/…`` so that ``posts/tag/repost`` is a tag, not a post called "tag"."""

from django.urls import path, re_path

from adn_api.dialects import PNUT
from adn_api.views import ConfigView, StatsView, UnknownRouteView
from entities.views import TextProcessView
from explore.views import ExploreListView, ExploreStreamView
from files import views as files
from interactions.views import PNUT_KINDS, PNUT_SPELLING, InteractionsView
from messaging import views as messaging
from messaging.options import BROADCAST
from polls import views as polls
from posts import views as posts
from search.views import PostSearchView
from streams import views as streams
from users import views as users
from users.services import graph

from . import views
from .profile import profile_body
from .serializers import processed_text_to_pnut

WRITE = ["put", "delete", "options"]  # pnut PUTs what App.net POSTs
DIRECTED = {"include_directed_posts": True}  # pnut's default, the personal stream's too


def pnut(view, **initkwargs):
    return view.as_view(dialect=PNUT, **initkwargs)


urlpatterns = [
    path("token", views.TokenView.as_view()),
    path("sys/config", pnut(ConfigView)),
    path("sys/stats", pnut(StatsView)),
    path("presence", views.PresenceView.as_view()),
    path("users/me/presence", views.MyPresenceView.as_view()),
    path("users", pnut(users.UserListView)),
    path(
        "users/<str:user_id>/muted",
        pnut(users.RelatedUsersView, relation="muted", access=users.OWN),
    ),
    path(
        "users/<str:user_id>/blocked",
        pnut(users.RelatedUsersView, relation="blocked", access=users.OWN),
    ),
    path("text/process", pnut(TextProcessView, render=processed_text_to_pnut)),
    path(
        "posts",
        pnut(posts.PostCollectionView, created_status=201, marker_on_create="my_stream"),
    ),
    path("posts/streams/me", pnut(streams.PersonalStreamView, stream_defaults=DIRECTED)),
    path(
        "posts/streams/unified",
        pnut(
            streams.PersonalStreamView,
            unified=True,
            unified_marker="my_stream",  # pnut's "personal" marker is both streams'
            stream_defaults=DIRECTED,
        ),
    ),
    path("posts/streams/global", pnut(streams.GlobalStreamView, humans_only=True)),
    # The documented path, and the one the pnutpy client calls.
    path("posts/tags/<str:hashtag>", pnut(streams.TagStreamView)),
    path("posts/tag/<str:hashtag>", pnut(streams.TagStreamView)),
    path("posts/search", pnut(PostSearchView)),
    path("posts/streams/explore", pnut(ExploreListView)),
    path("posts/streams/explore/<str:slug>", pnut(ExploreStreamView)),
    path("users/search", pnut(users.UserSearchView)),
    path("posts/<str:post_id>", pnut(posts.PostView)),
    path("posts/<str:post_id>/thread", pnut(posts.ThreadView)),
    path("posts/<str:post_id>/revisions", pnut(posts.RevisionsView)),
    path("posts/<str:post_id>/repost", views.RepostView.as_view()),
    path("posts/<str:post_id>/bookmark", pnut(posts.StarView, http_method_names=WRITE)),
    path("files", pnut(files.FilesView, created_status=201)),
    path("files/<str:file_id>", pnut(files.FileView)),
    path("files/<str:file_id>/content", pnut(files.FileContentView)),
    path("users/me/files", pnut(files.MyFilesView)),
    path("users/me/actions", pnut(InteractionsView, spelling=PNUT_SPELLING, kinds=PNUT_KINDS)),
    path("users/<str:user_id>/avatar", pnut(files.ProfileImageView)),
    path("users/<str:user_id>/cover", pnut(files.ProfileImageView, purpose="cover")),
    path("clients/<str:client_id>", views.ClientView.as_view()),
    path("users/<str:user_id>/clients", views.UserClientsView.as_view()),
    path("users/<str:user_id>", pnut(users.UserView, profile_body=profile_body)),
    path("users/<str:user_id>/posts", pnut(streams.UserPostsView, marked=False)),
    path("users/<str:user_id>/mentions", pnut(streams.UserMentionsView)),
    path("users/<str:user_id>/bookmarks", pnut(posts.UserStarsView)),
    path("users/<str:user_id>/follow", pnut(users.RelationView, http_method_names=WRITE)),
    path(
        "users/<str:user_id>/mute",
        pnut(users.RelationView, create=graph.mute, remove=graph.unmute, http_method_names=WRITE),
    ),
    path(
        "users/<str:user_id>/block",
        pnut(users.RelationView, create=graph.block, remove=graph.unblock, http_method_names=WRITE),
    ),
    path("users/<str:user_id>/followers", pnut(users.RelatedUsersView)),
    path("users/<str:user_id>/following", pnut(users.RelatedUsersView, relation="following")),
    # Channels and messages: App.net's views in pnut's shape (pnut/channels.py).
    path("channels", pnut(messaging.ChannelCollectionView, created_status=201)),
    path("channels/search", pnut(messaging.ChannelSearchView)),
    path("channels/messages", pnut(messaging.MessageCollectionView)),
    path("channels/messages/search", pnut(messaging.MessageSearchView)),
    path("channels/<str:channel_id>", pnut(messaging.ChannelView)),
    path(
        "channels/<str:channel_id>/subscribe",
        pnut(messaging.SubscribeView, http_method_names=WRITE),
    ),
    path("channels/<str:channel_id>/subscribers", pnut(messaging.SubscribersView)),
    path(
        "channels/<str:channel_id>/mute",
        pnut(
            messaging.SubscribeView,
            create=messaging.channel_services.mute,
            remove=messaging.channel_services.unmute,
            http_method_names=WRITE,
        ),
    ),
    path(
        "channels/<str:channel_id>/messages",
        pnut(messaging.MessagesView, created_status=201, marks_channel=True),
    ),
    path("channels/<str:channel_id>/messages/<str:message_id>", pnut(messaging.MessageView)),
    path("channels/<str:channel_id>/sticky_messages", pnut(messaging.StickyMessagesView)),
    path(
        "channels/<str:channel_id>/messages/<str:message_id>/thread",
        pnut(messaging.ThreadView),
    ),
    path("channels/<str:channel_id>/messages/<str:message_id>/sticky", pnut(messaging.StickyView)),
    path("users/me/channels", pnut(messaging.OwnedChannelsView)),
    path(
        "users/me/channels/subscribed",
        pnut(messaging.ChannelCollectionView, subscribed_only=True),
    ),
    path("users/me/channels/existing_pm", pnut(messaging.ExistingPmView)),
    path("users/me/channels/muted", pnut(messaging.MutedChannelsView)),
    # The documented paths, and the one pnutpy calls (num_unread?channel_types=).
    path("users/me/channels/num_unread", pnut(messaging.NumUnreadView)),
    path("users/me/channels/num_unread/pm", pnut(messaging.NumUnreadView)),
    path(
        "users/me/channels/num_unread/broadcast",
        pnut(messaging.NumUnreadView, kind=BROADCAST),
    ),
    path("users/me/messages", pnut(messaging.UserMessagesView)),
    path("markers", views.MarkersView.as_view()),
    # Polls (polls/views.py): pnut's own family.
    path("polls", polls.PollsView.as_view()),
    path("polls/<str:poll_id>", polls.PollView.as_view()),
    path("polls/<str:poll_id>/response", polls.PollResponseView.as_view()),
    path("polls/<str:poll_id>/response/<str:position>", polls.PollResponseView.as_view()),
    path("users/me/polls", polls.MyPollsView.as_view()),
    re_path(r"^.*$", pnut(UnknownRouteView)),
]
