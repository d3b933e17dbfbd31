from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "ssmark.fees"
    label = "fees"
    verbose_name = _("Fees and invoices")

    def ready(self) -> None:
        from ssmark.core import events

        from . import receivers

        events.application_submitted.connect(
            receivers.on_application_submitted, dispatch_uid="fees.on_application_submitted"
        )
        events.committee_decided.connect(
            receivers.on_committee_decided, dispatch_uid="fees.on_committee_decided"
        )
        events.licence_issued.connect(
            receivers.on_licence_issued, dispatch_uid="fees.on_licence_issued"
        )
