"""`Licence.search_key` is a derived index (normalised service and organisation names) that the
database-backed searches read (the API's registry, "my licences"). It is made when a licence is
created or changed (`Licence.refresh_search_key`) and here, whenever an organisation is saved,
for that organisation's licences, so a renamed organisation is found under its new name at once.

This receiver is not a workflow step: it only keeps an index current, and nothing else depends
on it running. (The public registry pages search their snapshot, built from the names
themselves, and reload when an organisation name changes: see `snapshot`.)"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from ssmark.accounts.models import Organisation

from .models import Licence, make_search_key


def refresh_search_keys(organisation: Organisation) -> int:
    """Rewrite the search key of every licence of `organisation`; returns how many changed."""
    changed = []
    for licence in Licence.objects.filter(organisation=organisation).only(
        "pk", "service_name", "search_key"
    ):
        key = make_search_key(licence.service_name, organisation.name, organisation.name_en)
        if key != licence.search_key:
            licence.search_key = key
            changed.append(licence)
    Licence.objects.bulk_update(changed, ["search_key"])
    return len(changed)


def _on_organisation_saved(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    if not kwargs.get("created") and not kwargs.get("raw"):
        refresh_search_keys(instance)


def connect() -> None:
    post_save.connect(
        _on_organisation_saved, sender=Organisation, dispatch_uid="licences.search_keys"
    )
