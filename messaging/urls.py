"""App.net's channel and message routes; fixed paths come before ``channels/<id>/…`` so that
``channels/messages`` is not channel "messages"."""

from django.urls import path

from . import views
from .options import BROADCAST

urlpatterns = [
    path("channels", views.ChannelCollectionView.as_view()),
    path("channels/search", views.ChannelSearchView.as_view()),
    path("channels/messages", views.MessageCollectionView.as_view()),
    path("channels/messages/search", views.MessageSearchView.as_view()),
    path("channels/subscribers/ids", views.SubscriberIdsView.as_view()),
    path("channels/<str:channel_id>", views.ChannelView.as_view()),
    path("channels/<str:channel_id>/subscribe", views.SubscribeView.as_view()),
    path("channels/<str:channel_id>/subscribers", views.SubscribersView.as_view()),
    path("channels/<str:channel_id>/subscribers/ids", views.SubscriberIdsView.as_view()),
    path(
        "channels/<str:channel_id>/mute",
        views.SubscribeView.as_view(
            create=views.channel_services.mute, remove=views.channel_services.unmute
        ),
    ),
    path("channels/<str:channel_id>/messages", views.MessagesView.as_view()),
    path("channels/<str:channel_id>/messages/<str:message_id>", views.MessageView.as_view()),
    path("users/me/channels", views.OwnedChannelsView.as_view()),
    path("users/me/channels/muted", views.MutedChannelsView.as_view()),
    path("users/me/channels/pm/num_unread", views.NumUnreadView.as_view()),
    path("users/me/channels/broadcast/num_unread", views.NumUnreadView.as_view(kind=BROADCAST)),
    path("users/me/messages", views.UserMessagesView.as_view()),
]
