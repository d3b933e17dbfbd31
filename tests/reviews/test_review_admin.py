"""The admin shows the first review but never changes it (changes go through the services)."""

from __future__ import annotations

from django.urls import reverse

from ssmark.reviews import services


def test_admin_lists_but_cannot_add_or_change(in_review, users, admin_client):
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"1-1-1": "Attach the policy."}
    )
    for model in ("firstreview", "reviewfinding", "returnround"):
        assert admin_client.get(reverse(f"admin:reviews_{model}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:reviews_{model}_add")).status_code == 403
    round_ = in_review.return_rounds.get()
    page = admin_client.get(reverse("admin:reviews_returnround_change", args=[round_.pk]))
    assert page.status_code == 200 and "Attach the policy." in page.content.decode()
    assert (
        admin_client.post(
            reverse("admin:reviews_returnround_delete", args=[round_.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert in_review.return_rounds.count() == 1
