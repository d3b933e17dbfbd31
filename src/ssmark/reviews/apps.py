from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "ssmark.reviews"
    label = "reviews"
