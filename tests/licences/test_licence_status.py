"""Status changes through the services: grounds, reasons, who may, what is recorded."""

from __future__ import annotations

import pytest

from ssmark.core import events
from ssmark.core.models import AuditEntry
from ssmark.licences.models import Ground, LicenceStatus, StatusChange
from ssmark.licences.services import (
    ERROR_GROUND_REQUIRED,
    ERROR_ILLEGAL_STATUS,
    ERROR_REASON_REQUIRED,
    LicenceError,
    LicenceNotAllowed,
    reinstate_licence,
    revoke_licence,
    suspend_licence,
)

pytestmark = pytest.mark.django_db


def test_grounds_are_the_schemes_three():
    assert set(Ground.values) == {
        "report_not_made",
        "investigation_refused",
        "recommendation_ignored",
    }


def test_suspend_reinstate_revoke_are_recorded_and_announced(licence, users):
    seen = []
    events.licence_status_changed.connect(
        lambda sender, **kw: seen.append(kw), weak=False, dispatch_uid="t-status"
    )
    try:
        suspend_licence(
            licence=licence,
            actor=users["sue"],
            ground=Ground.REPORT_NOT_MADE,
            reason="報告が不十分",
        )
        reinstate_licence(licence=licence, actor=users["sue"], reason="追加報告を受領")
        revoke_licence(
            licence=licence,
            actor=users["ada"],
            ground=Ground.RECOMMENDATION_IGNORED,
            reason="勧告に従わない",
        )
    finally:
        events.licence_status_changed.disconnect(dispatch_uid="t-status")
    assert [(s["from_status"], s["to_status"]) for s in seen] == [
        ("active", "suspended"),
        ("suspended", "active"),
        ("active", "revoked"),
    ]
    assert seen[2]["reason"] == "勧告に従わない" and seen[2]["actor"] == users["ada"]
    changes = list(StatusChange.objects.filter(licence=licence).order_by("id"))
    assert [(c.to_status, c.ground, c.reason) for c in changes] == [
        ("suspended", "report_not_made", "報告が不十分"),
        ("active", "", "追加報告を受領"),
        ("revoked", "recommendation_ignored", "勧告に従わない"),
    ]
    actions = list(
        AuditEntry.objects.filter(target_id=str(licence.pk)).values_list("action", flat=True)
    )
    for action in (
        "ssmark.licence.suspended",
        "ssmark.licence.reinstated",
        "ssmark.licence.revoked",
    ):
        assert action in actions
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED


def test_ground_and_reason_are_required(licence, users):
    with pytest.raises(LicenceError) as exc:
        revoke_licence(licence=licence, actor=users["sue"], ground="", reason="理由")
    assert str(exc.value) == str(ERROR_GROUND_REQUIRED)
    with pytest.raises(LicenceError) as exc:
        revoke_licence(
            licence=licence, actor=users["sue"], ground=Ground.REPORT_NOT_MADE, reason="  "
        )
    assert str(exc.value) == str(ERROR_REASON_REQUIRED)


def test_revoked_is_final(licence, users):
    revoke_licence(licence=licence, actor=users["sue"], ground=Ground.REPORT_NOT_MADE, reason="x")
    for call in (
        lambda: revoke_licence(
            licence=licence, actor=users["sue"], ground=Ground.REPORT_NOT_MADE, reason="x"
        ),
        lambda: suspend_licence(
            licence=licence, actor=users["sue"], ground=Ground.REPORT_NOT_MADE, reason="x"
        ),
        lambda: reinstate_licence(licence=licence, actor=users["sue"], reason="x"),
    ):
        with pytest.raises(LicenceError):
            call()
    with pytest.raises(LicenceError) as exc:
        reinstate_licence(licence=licence, actor=users["sue"], reason="x")
    assert str(exc.value) == str(ERROR_ILLEGAL_STATUS % {"from": "許諾取消", "to": "有効"})


@pytest.mark.parametrize("name", ["alice", "charlie", "rin", "ren", "kei"])
def test_only_the_council_changes_status(licence, users, name):
    with pytest.raises(LicenceNotAllowed):
        revoke_licence(
            licence=licence, actor=users[name], ground=Ground.REPORT_NOT_MADE, reason="x"
        )
    with pytest.raises(LicenceNotAllowed):
        suspend_licence(
            licence=licence, actor=users[name], ground=Ground.REPORT_NOT_MADE, reason="x"
        )
