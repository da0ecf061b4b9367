from django.urls import path

from .views import ExploreListView, ExploreStreamView

urlpatterns = [
    path("posts/stream/explore", ExploreListView.as_view()),
    path("posts/stream/explore/<str:slug>", ExploreStreamView.as_view()),
]
