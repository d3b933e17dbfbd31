from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "ssmark.licences"
    label = "licences"
