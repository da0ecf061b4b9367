from django.urls import path

from .services import graph
from .views import OWN, RelatedUsersView, RelationView, UserListView, UserSearchView, UserView

urlpatterns = [
    path("users", UserListView.as_view()),
    path("users/search", UserSearchView.as_view()),
    path("users/<str:user_id>", UserView.as_view()),
    path("users/<str:user_id>/follow", RelationView.as_view()),
    path("users/<str:user_id>/mute", RelationView.as_view(create=graph.mute, remove=graph.unmute)),
    path(
        "users/<str:user_id>/block", RelationView.as_view(create=graph.block, remove=graph.unblock)
    ),
    path("users/<str:user_id>/followers", RelatedUsersView.as_view()),
    path("users/<str:user_id>/following", RelatedUsersView.as_view(relation="following")),
    path("users/<str:user_id>/followers/ids", RelatedUsersView.as_view(ids_only=True)),
    path(
        "users/<str:user_id>/following/ids",
        RelatedUsersView.as_view(relation="following", ids_only=True),
    ),
    # Only the user themself reads these: a user token.
    path("users/<str:user_id>/muted", RelatedUsersView.as_view(relation="muted", access=OWN)),
    path("users/<str:user_id>/blocked", RelatedUsersView.as_view(relation="blocked", access=OWN)),
]
