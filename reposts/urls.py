from django.urls import path

from . import views

urlpatterns = [
    path("posts/<str:post_id>/repost", views.RepostView.as_view()),
    path("posts/<str:post_id>/reposters", views.RepostersView.as_view()),
]
