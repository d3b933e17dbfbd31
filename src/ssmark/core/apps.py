from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ssmark.core"
    label = "core"
