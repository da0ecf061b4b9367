"""Routes of the diaspora dialect, mounted at ``/api/v1/``."""

from django.urls import path, re_path

from adn_api.dialects import DIASPORA
from adn_api.views import UnknownRouteView

from . import notifications, photos, search, streams, views

urlpatterns = [
    path("posts", views.PostsView.as_view()),
    path("posts/<str:guid>", views.PostView.as_view()),
    path("posts/<str:guid>/vote", views.VoteView.as_view()),
    path("posts/<str:guid>/reshares", views.ResharesView.as_view()),
    path("posts/<str:guid>/comments", views.CommentsView.as_view()),
    path("posts/<str:guid>/comments/<str:comment_guid>", views.CommentView.as_view()),
    path(
        "posts/<str:guid>/comments/<str:comment_guid>/report",
        views.CommentReportView.as_view(),
    ),
    path("posts/<str:guid>/likes", views.LikesView.as_view()),
    path("conversations", views.ConversationsView.as_view()),
    path("conversations/<str:guid>", views.ConversationView.as_view()),
    path("conversations/<str:guid>/messages", views.ConversationMessagesView.as_view()),
    path("notifications", notifications.NotificationsView.as_view()),
    path("notifications/<str:guid>", notifications.NotificationView.as_view()),
    path("photos", photos.PhotosView.as_view()),
    path("streams/main", streams.MainStreamView.as_view()),
    path("photos/<str:guid>", photos.PhotoView.as_view()),
    path("search/users", search.SearchUsersView.as_view()),
    path("search/posts", search.SearchPostsView.as_view()),
    path("search/tags", search.SearchTagsView.as_view()),
    re_path(r"^.*$", UnknownRouteView.as_view(dialect=DIASPORA)),
]
