from django.urls import path

from .views import PlaceSearchView, PlaceView

# search first: "search" is no place's id.
urlpatterns = [
    path("places/search", PlaceSearchView.as_view()),
    path("places/<str:factual_id>", PlaceView.as_view()),
]
