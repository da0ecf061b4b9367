from django.urls import path

from . import views

READ_AND_DELETE = ["get", "head", "delete", "options"]

urlpatterns = [
    path("posts", views.PostCollectionView.as_view()),
    # App.net posts are never revised (pnut's PUT is routed in pnut/urls.py).
    path("posts/<str:post_id>", views.PostView.as_view(http_method_names=READ_AND_DELETE)),
    path("posts/<str:post_id>/replies", views.ThreadView.as_view()),
    path("posts/<str:post_id>/star", views.StarView.as_view()),
    path("posts/<str:post_id>/stars", views.StarrersView.as_view()),
    path("posts/<str:post_id>/report", views.ReportView.as_view()),
    path("users/<str:user_id>/stars", views.UserStarsView.as_view()),
]
