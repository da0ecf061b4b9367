from django.urls import path

from . import views

urlpatterns = [path("text/process", views.TextProcessView.as_view())]
