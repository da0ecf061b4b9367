from django.urls import path

from . import views

urlpatterns = [
    path("posts/stream", views.PersonalStreamView.as_view()),
    path("posts/stream/unified", views.PersonalStreamView.as_view(unified=True)),
    path("posts/stream/global", views.GlobalStreamView.as_view()),
    path("posts/tag/<str:hashtag>", views.TagStreamView.as_view()),
    path("posts/marker", views.MarkerView.as_view()),
    path("users/<str:user_id>/posts", views.UserPostsView.as_view()),
    path("users/<str:user_id>/mentions", views.UserMentionsView.as_view()),
]
