"""Domain events: the seam between workflows and what follows from them (invoices, notices).

Service functions send these *inside* their transaction, after the state change and the audit
entry. Receivers (fees, notifications) therefore commit or roll back together with the change:
an invoice or a notification can never exist for a transition that did not happen. Receivers
must not send e-mail directly; they queue it (notifications are delivered by
`ssmark send_notifications`, which is safe to run twice).

Every signal is sent with `sender=<the model class>` and keyword arguments:
    actor: the User who acted, or None for scheduled jobs
plus the ones listed per signal below.
"""

from __future__ import annotations

from django.dispatch import Signal

# application=Application (its submitted_on is set). First submission and resubmissions alike;
# `resubmission: bool` tells them apart.
application_submitted = Signal()
# application=Application, comments: dict[item code, comment]
application_returned = Signal()
# application=Application, passed: bool, reason: str, override: bool
first_review_decided = Signal()
# application=Application, decision: "approved" | "rejected" | "deferred", reason: str
committee_decided = Signal()
# licence=Licence, application=Application, notice_received_on: date (the pass notice's
# deemed-received date, from which the annual fee's due date counts)
licence_issued = Signal()
# licence=Licence, from_status: str, to_status: str, reason: str
licence_status_changed = Signal()
# licence=Licence, window_opens: date, deadline: date, kind: "window_open" | "deadline_near"
renewal_reminder_due = Signal()
# licence=Licence, incident=<incident report>, recommendation: str
incident_recommendation_issued = Signal()
# application=Application, withdrawn by the applicant
application_withdrawn = Signal()
