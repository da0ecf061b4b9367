"""pnut's routes, mounted at ``/v1/``. Fixed paths come before ``posts/<post_id>/…`` so that
``posts/tag/repost`` is a tag, not a post called "tag"."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("token", views.TokenView.as_view()),
    path("text/process", views.TextProcessView.as_view()),
    path("posts", views.PostsView.as_view()),
    path("posts/streams/me", views.PersonalStreamView.as_view()),
    path("posts/streams/unified", views.UnifiedStreamView.as_view()),
    path("posts/streams/global", views.GlobalStreamView.as_view()),
    # The documented path, and the one the pnutpy client calls.
    path("posts/tags/<str:hashtag>", views.TagStreamView.as_view()),
    path("posts/tag/<str:hashtag>", views.TagStreamView.as_view()),
    path("posts/<str:post_id>", views.PostView.as_view()),
    path("posts/<str:post_id>/thread", views.ThreadView.as_view()),
    path("posts/<str:post_id>/repost", views.RepostView.as_view()),
    path("posts/<str:post_id>/bookmark", views.BookmarkView.as_view()),
    path("users/<str:user_id>", views.UserView.as_view()),
    path("users/<str:user_id>/posts", views.UserPostsView.as_view()),
    path("users/<str:user_id>/mentions", views.UserMentionsView.as_view()),
    path("users/<str:user_id>/bookmarks", views.UserBookmarksView.as_view()),
    path("users/<str:user_id>/follow", views.FollowView.as_view()),
    path("users/<str:user_id>/mute", views.MuteView.as_view()),
    path("users/<str:user_id>/block", views.BlockView.as_view()),
    path("users/<str:user_id>/followers", views.FollowersView.as_view()),
    path("users/<str:user_id>/following", views.FollowingView.as_view()),
    re_path(r"^.*$", views.UnknownRouteView.as_view()),
]
