from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "ssmark.licences"
    label = "licences"

    def ready(self) -> None:
        from . import scheme, search

        scheme.settings()  # a malformed scheme.yaml stops the app at start, naming the key
        search.connect()  # a renamed organisation's licences are searchable by the new name
