"""Every audit action, as a sentence for people (pretix's log display is the model).

`ssmark.core.models.audit(action=...)` stores a stable dotted name; the history pages never show
that name: they show `describe(entry)`, e.g. "山田 太郎 が申請を提出しました" /
"山田 太郎 submitted the application". Each name used anywhere in the code is registered
here once, with an English msgid (Japanese msgstr in core's .po); tests/core/
test_audit_actions.py scans the code and fails if an action lacks its sentence in either language.
An entry whose action is not (or no longer) registered is shown with a neutral sentence, never
as a raw key.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# "%(actor)s" is the person's name (family name first), or "the system" for scheduled jobs.
SENTENCES: dict[str, Promise] = {
    # --- application (applicant) ---
    "ssmark.application.created": _("%(actor)s created the application"),
    "ssmark.licence.notice_receipt_confirmed": _("%(actor)s confirmed receiving the pass notice"),
    # --- demo data ---
    "ssmark.demo.registry_loaded": _(
        "%(actor)s loaded the demo registry (its licence numbers and dates are invented)"
    ),
    "ssmark.application.contacts_changed": _("%(actor)s changed the contacts"),
    "ssmark.application.answer_saved": _("%(actor)s saved an answer"),
    "ssmark.application.evidence_added": _("%(actor)s added evidence"),
    "ssmark.application.evidence_removed": _("%(actor)s removed evidence"),
    "ssmark.application.scan_report_added": _("%(actor)s added a scan report"),
    "ssmark.application.scan_report_removed": _("%(actor)s removed a scan report"),
    "ssmark.application.scan_report_read": _("%(actor)s had a scan report read"),
    "ssmark.application.scan_report_failed": _(
        "%(actor)s had a scan report that could not be read"
    ),
    "ssmark.application.host_roles_set": _("%(actor)s set the host roles"),
    "ssmark.application.finding_statement_saved": _(
        "%(actor)s saved a written opinion on a scan finding"
    ),
    "ssmark.application.audit_recorded": _("%(actor)s recorded an audit"),
    "ssmark.application.audit_removed": _("%(actor)s removed an audit"),
    "ssmark.application.incident_declared": _("%(actor)s declared an incident"),
    "ssmark.application.incident_removed": _("%(actor)s removed an incident"),
    "ssmark.application.no_incidents_declared": _(
        "%(actor)s declared that there were no incidents"
    ),
    "ssmark.application.submitted": _("%(actor)s submitted the application"),
    "ssmark.application.resubmitted": _("%(actor)s resubmitted the application"),
    "ssmark.application.withdrawn": _("%(actor)s withdrew the application"),
    "ssmark.application.item_answered": _("%(actor)s answered a reviewer's comment"),
    # --- first review ---
    "ssmark.application.review_started": _("%(actor)s started the first review"),
    "ssmark.application.review_resumed": _("%(actor)s took up the resubmission"),
    "ssmark.application.reviewer_assigned": _("%(actor)s assigned the first reviewer"),
    "ssmark.application.finding_recorded": _("%(actor)s recorded a finding"),
    "ssmark.application.findings_bulk_met": _("%(actor)s marked the remaining items as met"),
    "ssmark.application.returned": _("%(actor)s returned the application for correction"),
    "ssmark.application.first_review_passed": _("%(actor)s passed the first review"),
    "ssmark.application.first_review_rejected": _(
        "%(actor)s rejected the application at the first review"
    ),
    # --- committee (second review) ---
    "ssmark.committee.session_scheduled": _("%(actor)s scheduled a committee session"),
    "ssmark.committee.session_updated": _("%(actor)s changed the committee session"),
    "ssmark.committee.session_opened": _("%(actor)s opened the committee session"),
    "ssmark.committee.session_closed": _("%(actor)s closed the committee session"),
    "ssmark.committee.session_deleted": _("%(actor)s deleted the committee session"),
    "ssmark.committee.agenda_added": _("%(actor)s put the application on a session's agenda"),
    "ssmark.committee.agenda_moved": _("%(actor)s moved the application to another session"),
    "ssmark.committee.approved": _("%(actor)s recorded the committee's approval"),
    "ssmark.committee.rejected": _("%(actor)s recorded the committee's rejection"),
    "ssmark.committee.deferred": _("%(actor)s recorded that the committee deferred the decision"),
    "ssmark.committee.licence_waiting_for_fee": _(
        "%(actor)s noted that the licence waits for an unpaid fee"
    ),
    # --- licences ---
    "ssmark.licence.issued": _("%(actor)s issued the licence"),
    "ssmark.licence.renewed": _("%(actor)s renewed the licence"),
    "ssmark.licence.renewal_started": _("%(actor)s started the renewal"),
    "ssmark.licence.renewal_pending": _("%(actor)s marked the renewal as pending"),
    "ssmark.licence.renewal_ended": _("%(actor)s ended the renewal"),
    "ssmark.licence.renewal_approved": _("%(actor)s approved the renewal"),
    "ssmark.licence.renewal_reminder": _("%(actor)s sent a renewal reminder"),
    "ssmark.licence.lapsed": _("%(actor)s recorded that the licence lapsed"),
    "ssmark.licence.suspended": _("%(actor)s suspended the licence"),
    "ssmark.licence.revoked": _("%(actor)s revoked the licence"),
    "ssmark.licence.reinstated": _("%(actor)s reinstated the licence"),
    # --- incidents ---
    "ssmark.incident.reported": _("%(actor)s reported an incident"),
    "ssmark.incident.investigated": _("%(actor)s recorded the investigation of an incident"),
    "ssmark.incident.recommendation_issued": _("%(actor)s issued a recommendation"),
    "ssmark.incident.responded": _("%(actor)s responded to a recommendation"),
    "ssmark.incident.closed": _("%(actor)s closed the incident"),
    # --- fees ---
    "ssmark.fees.invoice_issued": _("%(actor)s issued an invoice"),
    "ssmark.fees.credit_note_issued": _("%(actor)s issued a credit note"),
    "ssmark.fees.invoice_overdue": _("%(actor)s recorded that an invoice is overdue"),
    "ssmark.fees.payment_recorded": _("%(actor)s recorded a payment"),
    # --- registry import (operations) ---
    "ssmark.organisation.imported": _("%(actor)s imported the organisation from the registry"),
    "ssmark.organisation.import_updated": _("%(actor)s updated the organisation from the registry"),
    "ssmark.licence.imported": _("%(actor)s imported the licence from the registry"),
    "ssmark.licence.import_updated": _("%(actor)s updated the licence from the registry"),
    # --- people (invitations, accounts) ---
    "ssmark.invitation.sent": _("%(actor)s sent an invitation"),
    "ssmark.invitation.resent": _("%(actor)s sent the invitation again"),
    "ssmark.invitation.revoked": _("%(actor)s revoked the invitation"),
    "ssmark.invitation.accepted": _("%(actor)s accepted the invitation"),
    "ssmark.user.joined": _("%(actor)s set up the account from an invitation"),
    "ssmark.user.password_changed": _("%(actor)s changed the password"),
    "ssmark.user.password_reset": _("%(actor)s set a new password by the e-mailed link"),
    "ssmark.user.session_ended": _("%(actor)s ended one of their sessions"),
    "ssmark.user.deactivated": _("%(actor)s deactivated the account"),
    "ssmark.user.reactivated": _("%(actor)s reactivated the account"),
    # --- accounts ---
    "ssmark.account.two_factor_enabled": _("%(actor)s turned on two-step sign-in"),
    "ssmark.account.two_factor_disabled": _("%(actor)s turned off two-step sign-in"),
    "ssmark.account.recovery_codes_renewed": _("%(actor)s renewed the recovery codes"),
    # --- webhooks ---
    "ssmark.webhook.endpoint_created": _("%(actor)s added a webhook endpoint"),
    "ssmark.webhook.endpoint_changed": _("%(actor)s changed a webhook endpoint"),
    "ssmark.webhook.endpoint_deleted": _("%(actor)s deleted a webhook endpoint"),
    "ssmark.webhook.secret_rotated": _("%(actor)s replaced a webhook endpoint's signing secret"),
    # --- API ---
    "ssmark.api.token_created": _("%(actor)s created an API token"),
    "ssmark.api.token_revoked": _("%(actor)s revoked an API token"),
    # --- notifications ---
    "ssmark.bulletin.sent": _("%(actor)s sent a bulletin"),
}

SYSTEM = _("The system")
UNKNOWN = _("%(actor)s made a change (%(action)s)")


def is_registered(action: str) -> bool:
    return action in SENTENCES


def actor_name(user: Any) -> str:
    """A person's name, family name first; the system for scheduled jobs (no user)."""
    if user is None:
        return str(SYSTEM)
    return str(getattr(user, "display_name", "") or user.username)


def sentence(action: str, actor: Any = None) -> str:
    """The readable sentence for `action` done by `actor`, in the active language."""
    template = SENTENCES.get(action)
    name = actor_name(actor)
    if template is None:
        return str(UNKNOWN) % {"actor": name, "action": action.rsplit(".", 1)[-1]}
    return str(template) % {"actor": name}


def describe(entry: Any) -> str:
    """The sentence for one `AuditEntry`."""
    return sentence(entry.action, entry.actor)
