from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "ssmark.applications"
    label = "applications"
