from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "ssmark.operations"
    label = "operations"
