from django.urls import path

from . import views

urlpatterns = [
    path("users", views.UserListView.as_view()),
    path("users/search", views.UserSearchView.as_view()),
    path("users/<str:user_id>", views.UserView.as_view()),
    path("users/<str:user_id>/follow", views.RelationView.as_view()),
    path("users/<str:user_id>/mute", views.MuteView.as_view()),
    path("users/<str:user_id>/block", views.BlockView.as_view()),
    path("users/<str:user_id>/followers", views.RelatedUsersView.as_view()),
    path("users/<str:user_id>/following", views.FollowingView.as_view()),
    path("users/<str:user_id>/followers/ids", views.FollowerIdsView.as_view()),
    path("users/<str:user_id>/following/ids", views.FollowingIdsView.as_view()),
    path("users/<str:user_id>/muted", views.MutedView.as_view()),
    path("users/<str:user_id>/blocked", views.BlockedView.as_view()),
]
