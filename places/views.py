"""App.net's ``GET places/{factual_id}`` (any caller) and ``GET places/search`` (a user token,
as App.net had it: a person looking for where they are), in App.net's envelope."""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.permissions import PUBLIC, user_token
from adn_api.views import ApiView

from .services.places import PlaceSearch, get_place, place_value, search_places


class PlaceView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request: Request, factual_id: str):
        return enveloped(place_value(get_place(factual_id)))


class PlaceSearchView(ApiView):
    access = {"GET": user_token()}

    def get(self, request: Request):
        places = search_places(PlaceSearch.parse(request.query_params))
        return enveloped([{**place_value(p), "distance": p.distance} for p in places])
