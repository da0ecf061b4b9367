"""App.net's file routes (mounted at /stream/0/); pnut's are in pnut/urls.py."""

from django.urls import path

from . import views

ADN_IMAGE_METHODS = ["get", "head", "post", "options"]

urlpatterns = [
    path("files", views.FilesView.as_view()),
    path("files/<str:file_id>", views.FileView.as_view()),
    path("files/<str:file_id>/content", views.FileContentView.as_view()),
    path("users/me/files", views.MyFilesView.as_view()),
    # App.net had no DELETE of an avatar or cover (pnut's routes add it).
    path(
        "users/<str:user_id>/avatar",
        views.ProfileImageView.as_view(http_method_names=ADN_IMAGE_METHODS),
    ),
    path(
        "users/<str:user_id>/cover",
        views.ProfileImageView.as_view(purpose="cover", http_method_names=ADN_IMAGE_METHODS),
    ),
    path("oembed", views.OEmbedView.as_view()),
]
