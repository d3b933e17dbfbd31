from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "ssmark.fees"
    label = "fees"
