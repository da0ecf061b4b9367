from django.urls import path

from . import views

urlpatterns = [
    path("posts", views.PostCollectionView.as_view()),
    path("posts/<str:post_id>", views.PostView.as_view()),
    path("posts/<str:post_id>/replies", views.ThreadView.as_view()),
    path("posts/<str:post_id>/star", views.StarView.as_view()),
    path("posts/<str:post_id>/stars", views.StarrersView.as_view()),
    path("posts/<str:post_id>/report", views.ReportView.as_view()),
    path("users/<str:user_id>/stars", views.UserStarsView.as_view()),
]
