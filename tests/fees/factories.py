"""Objects the fees and notifications tests build directly (no other app's services)."""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path

from ssmark.accounts.models import Organisation, User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet, ReviewType, Scheme
from ssmark.core.periods import period_end
from ssmark.licences.models import Licence, LicenceStatus

_counter = itertools.count(1)


def criteria_set() -> CriteriaSet:
    cs, _ = CriteriaSet.objects.get_or_create(
        set_id="fees-test-isp",
        defaults={
            "title": "テスト基準",
            "title_en": "Test criteria",
            "scheme": Scheme.ISP,
            "applies_from": datetime.date(2010, 3, 1),
            "source_sha256": "0" * 64,
            "definition": {},
        },
    )
    return cs


def application(
    orgs: dict[str, Organisation],
    users: dict[str, User],
    *,
    org: str = "sample-net",
    reception: str = "JAIPA",
    review_type: str = ReviewType.NEW,
    scheme: str = Scheme.ISP,
    submitted_on: datetime.date = datetime.date(2026, 4, 10),
    status: str = ApplicationStatus.SUBMITTED,
    service_name: str | None = None,
) -> Application:
    return Application.objects.create(
        organisation=orgs[org],
        reception_body=orgs[reception],
        criteria_set=criteria_set(),
        service_name=service_name or f"サンプル光 {next(_counter)}",
        scheme=scheme,
        review_type=review_type,
        status=status,
        responsible_manager="責任 太郎",
        responsible_manager_email="manager@sample-net.example",
        pim_manager="個人 花子",
        pim_manager_email="pim@sample-net.example",
        created_by=users["alice"],
        submitted_on=submitted_on,
        first_submitted_on=submitted_on,
    )


def licence(
    orgs: dict[str, Organisation],
    *,
    org: str = "sample-net",
    reception: str = "JAIPA",
    app: Application | None = None,
    first_granted_on: datetime.date = datetime.date(2025, 5, 1),
    status: str = LicenceStatus.ACTIVE,
    scheme: str = Scheme.ISP,
) -> Licence:
    valid_until = period_end(first_granted_on, 24)  # test data: a two-year licence
    serial = next(_counter)
    body = orgs[reception]
    return Licence.objects.create(
        number=f"{body.licence_letter or 'X'}{serial:04d}",
        serial=serial,
        organisation=orgs[org],
        service_name=app.service_name if app else f"サービス {serial}",
        scheme=scheme,
        reception_body=body,
        application=app,
        status=status,
        first_granted_on=first_granted_on,
        valid_from=first_granted_on,
        valid_until=valid_until,
    )


SCHEDULE_TEMPLATE = """
schedules:
{items}
"""

SCHEDULE_ITEM = """
  - id: "{id}"
    applies_from: {applies_from}
    currency: JPY
    amounts_include_tax: {include}
    tax_rate: {rate}
    fees:
      review: {{amount: {review}, due: {{from: submission}}}}
      renewal_review: {{amount: {renewal}, due: {{from: submission}}}}
      annual: {{amount: {annual}, due: {{from: notice_received, months: 1}}}}
    annual_billing: {{catch_up_days: 45}}
    blocking:
      default:
        submission_not_made_until_review_fee_paid: {block_submission}
        first_review_not_started_until_review_fee_paid: {block_review}
        committee_decision_not_made_until_review_fee_paid: {block_committee}
        licence_not_issued_until_annual_fee_paid: {block_licence}
        renewal_not_granted_while_annual_fee_overdue: {block_renewal}
"""


def write_schedule(path: Path, *schedules: dict[str, object]) -> Path:
    """Write a schedule file; each dict overrides the defaults of one schedule."""
    items = []
    for i, override in enumerate(schedules):
        values: dict[str, object] = {
            "id": f"s{i}",
            "applies_from": "2019-10-01",
            "include": "true",
            "rate": 10,
            "review": 80000,
            "renewal": 60000,
            "annual": 20000,
            "block_submission": "false",
            "block_review": "false",
            "block_licence": "false",
            "block_committee": "false",
            "block_renewal": "true",
        }
        values.update(override)
        items.append(SCHEDULE_ITEM.format(**values))
    path.write_text(SCHEDULE_TEMPLATE.format(items="".join(items)), encoding="utf-8")
    return path
