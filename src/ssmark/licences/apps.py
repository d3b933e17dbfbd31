from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "ssmark.licences"
    label = "licences"

    def ready(self) -> None:
        from ssmark.core import events

        from . import receivers, scheme

        scheme.settings()  # a malformed scheme.yaml stops the app at start, naming the key
        events.application_withdrawn.connect(
            receivers.on_application_withdrawn, dispatch_uid="licences.withdrawn"
        )
        events.first_review_decided.connect(
            receivers.on_first_review_decided, dispatch_uid="licences.first_review"
        )
        events.committee_decided.connect(
            receivers.on_committee_decided, dispatch_uid="licences.committee"
        )
