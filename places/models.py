"""A place, as App.net's place object describes it, filled from GeoNames (``services/geonames``).

Search is nearest first within a radius: the (latitude, longitude) index serves the bounding box
(a range on latitude, longitude checked in the index), and the exact distance is computed in SQL
over the few rows inside it."""

from __future__ import annotations

from django.db import models


class Place(models.Model):
    factual_id = models.CharField(max_length=64, unique=True)  # App.net's id: here GeoNames'
    name = models.CharField(max_length=200)
    ascii_name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=200, blank=True)
    address_extended = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=200, blank=True)
    admin_region = models.CharField(max_length=200, blank=True)
    post_town = models.CharField(max_length=200, blank=True)
    po_box = models.CharField(max_length=64, blank=True)
    postcode = models.CharField(max_length=32, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    is_open = models.BooleanField(default=True)
    telephone = models.CharField(max_length=64, blank=True)
    fax = models.CharField(max_length=64, blank=True)
    website = models.CharField(max_length=500, blank=True)
    category_id = models.CharField(max_length=16, blank=True)  # GeoNames' feature code
    category_labels = models.JSONField(default=list, blank=True)  # general to specific
    population = models.BigIntegerField(default=0)
    elevation = models.IntegerField(null=True, blank=True)
    timezone = models.CharField(max_length=40, blank=True)
    modified = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="places_lat_lon")]

    def __str__(self) -> str:
        return f"{self.name} ({self.factual_id})"
