from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ssmark.notifications"
    label = "notifications"
