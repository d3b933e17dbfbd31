from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "ssmark.committee"
    label = "committee"
