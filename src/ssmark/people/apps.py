from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ssmark.people"
    label = "people"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
