from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "ssmark.committee"
    label = "committee"
    verbose_name = _("Second review (committee)")

    def ready(self) -> None:
        from ssmark.core import events

        from .receivers import on_first_review_decided

        events.first_review_decided.connect(
            on_first_review_decided, dispatch_uid="committee.on_first_review_decided"
        )
