from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ssmark.accounts"
    label = "accounts"
