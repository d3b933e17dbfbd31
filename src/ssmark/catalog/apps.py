from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "ssmark.catalog"
    label = "catalog"
