"""Import today's registry (`ssmark import-registry FILE`): all or nothing, idempotent.

A row whose licence number is new creates the licence (an `imported` term, audit entry
`ssmark.licence.imported`); a row whose licence exists and differs updates it, records the
change in its history (a status change row, an `imported` term for a new validity period) and
in the audit trail (`ssmark.licence.import_updated`, the changed fields' old and new values);
an identical row changes nothing. Companies are applicant organisations matched by name (made
when missing). Afterwards the one licence counter stands at least at the highest imported
serial, so numbers issued later continue after it (one counter for all letters, see
ssmark.licences.services).

No workflow signal is sent: an import records decisions made before ssmark, so it bills and
notifies nobody. The public registry, verification pages, marks and credentials read the
licence rows on every request, so imported licences appear there at once.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from ssmark.accounts.models import Organisation, OrganisationKind
from ssmark.catalog.models import Scheme
from ssmark.core.models import audit
from ssmark.licences import scheme as scheme_settings
from ssmark.licences.models import (
    Licence,
    LicenceStatus,
    LicenceTerm,
    StatusChange,
    TermKind,
    normalise,
)
from ssmark.licences.services import bump_counter_to

from .tabular import ImportRefused, Problem, check_header, parse_date, read_table

REQUIRED = (
    "number",
    "service_name",
    "company",
    "reception_body",
    "first_granted",
    "valid_from",
    "valid_until",
    "status",
)
OPTIONAL = ("service_name_en", "company_en", "scheme", "contact_email")
# Fields of the licence compared with an existing row (and reported when they change).
COMPARED = (
    "service_name",
    "organisation",
    "reception_body",
    "scheme",
    "first_granted_on",
    "valid_from",
    "valid_until",
    "status",
)


@dataclass
class Row:
    line: int
    number: str
    serial: int
    service_name: str
    company: str
    company_en: str
    contact_email: str
    body: Organisation
    scheme: str
    first_granted_on: datetime.date
    valid_from: datetime.date
    valid_until: datetime.date
    status: str


@dataclass
class Summary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    organisations_created: int = 0

    def line(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
            f" ({self.organisations_created} organisation(s) created)"
        )


def _check(path: Path) -> list[Row]:
    table = read_table(path)
    problems = check_header(table, REQUIRED, OPTIONAL)
    if any(p.line == 1 for p in problems):
        raise ImportRefused(problems)
    bodies = {
        org.code: org
        for org in Organisation.objects.filter(kind=OrganisationKind.RECEPTION_BODY).exclude(
            code=""
        )
    }
    digits = scheme_settings.settings().number_digits
    pattern = re.compile(rf"^([A-Z])(\d{{{digits}}})$")
    statuses = {s.value for s in LicenceStatus}
    schemes = {s.value for s in Scheme}
    existing = {lic.number: lic for lic in Licence.objects.only("number", "serial", "service_name")}
    by_serial = {lic.serial: lic.number for lic in existing.values()}
    seen_numbers: dict[str, int] = {}
    seen_serials: dict[int, str] = {}
    rows: list[Row] = []
    for line, cells in table.rows:
        bad: list[Problem] = []

        def add(column: str, message: str, _line: int = line, _bad: list[Problem] = bad) -> None:
            _bad.append(Problem(_line, column, message))

        for name in REQUIRED:
            if not cells.get(name, ""):
                add(name, "required, but empty")
        number = cells.get("number", "")
        match = pattern.match(number) if number else None
        serial = int(match.group(2)) if match else 0
        if number and match is None:
            add("number", f"{number!r} is not a letter and {digits} digits (e.g. J0072)")
        elif match:
            if number in seen_numbers:
                add(
                    "number",
                    f"{number} appears twice in the file (also on line {seen_numbers[number]})",
                )
            elif serial in seen_serials:
                add(
                    "number",
                    f"{number} has the same digits as {seen_serials[serial]} in this file (one counter for all letters)",
                )
            elif serial in by_serial and by_serial[serial] != number:
                add(
                    "number",
                    f"{number} has the same digits as licence {by_serial[serial]} (one counter for all letters)",
                )
            seen_numbers.setdefault(number, line)
            seen_serials.setdefault(serial, number)
        code = cells.get("reception_body", "")
        body = bodies.get(code)
        if code and body is None:
            add(
                "reception_body",
                f"unknown reception body {code!r} (known: {', '.join(sorted(bodies))})",
            )
        if body is not None and match and body.licence_letter != match.group(1):
            add(
                "number", f"{number} does not start with {body.code}'s letter {body.licence_letter}"
            )
        service = cells.get("service_name", "")
        old = existing.get(number)
        if old is not None and service and normalise(old.service_name) != normalise(service):
            add("number", f"{number} is already used by another service ({old.service_name})")
        dates: dict[str, datetime.date | None] = {}
        for name in ("first_granted", "valid_from", "valid_until"):
            value = cells.get(name, "")
            dates[name] = parse_date(value) if value else None
            if value and dates[name] is None:
                add(name, f"{value!r} is not a date YYYY-MM-DD")
        start, end, first = dates["valid_from"], dates["valid_until"], dates["first_granted"]
        if start and end and end < start:
            add("valid_until", f"{end} is before valid_from {start}")
        if first and start and first > start:
            add("first_granted", f"{first} is after valid_from {start}")
        status = cells.get("status", "")
        if status and status not in statuses:
            add(
                "status",
                f"unknown status {status!r} (one of: {', '.join(s.value for s in LicenceStatus)})",
            )
        scheme = cells.get("scheme", "") or Scheme.ISP.value
        if scheme not in schemes:
            add("scheme", f"unknown scheme {scheme!r} (one of: {', '.join(sorted(schemes))})")
        contact = cells.get("contact_email", "")
        if contact:
            try:
                validate_email(contact)
            except ValidationError:
                add("contact_email", f"{contact!r} is not an e-mail address")
        if bad:
            problems.extend(bad)
            continue
        assert body is not None and first and start and end
        rows.append(
            Row(
                line=line,
                number=number,
                serial=serial,
                service_name=service,
                company=cells["company"],
                company_en=cells.get("company_en", ""),
                contact_email=contact,
                body=body,
                scheme=scheme,
                first_granted_on=first,
                valid_from=start,
                valid_until=end,
                status=status,
            )
        )
    if problems:
        raise ImportRefused(problems)
    return rows


def _organisation(row: Row, summary: Summary, actor: Any) -> Organisation:
    org = Organisation.objects.filter(kind=OrganisationKind.APPLICANT, name=row.company).first()
    if org is None:
        org = Organisation.objects.create(
            kind=OrganisationKind.APPLICANT,
            name=row.company,
            name_en=row.company_en,
            security_contact_email=row.contact_email,
        )
        summary.organisations_created += 1
        audit(
            actor=actor, action="ssmark.organisation.imported", target=org, data={"name": org.name}
        )
        return org
    changed = {}
    if row.company_en and org.name_en != row.company_en:
        changed["name_en"] = [org.name_en, row.company_en]
        org.name_en = row.company_en
    if row.contact_email and org.security_contact_email != row.contact_email:
        changed["security_contact_email"] = [org.security_contact_email, row.contact_email]
        org.security_contact_email = row.contact_email
    if changed:
        org.save(update_fields=list(changed))
        audit(actor=actor, action="ssmark.organisation.import_updated", target=org, data=changed)
    return org


def _term(licence: Licence) -> None:
    LicenceTerm.objects.create(
        licence=licence,
        kind=TermKind.IMPORTED,
        approved_on=licence.valid_from,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        notice_date=licence.valid_from,
        notice_received_on=licence.valid_from,
    )


def _show(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Organisation):
        return value.name
    return value


def _apply(rows: list[Row], actor: Any) -> Summary:
    summary = Summary()
    for row in rows:
        org = _organisation(row, summary, actor)
        wanted: dict[str, Any] = {
            "service_name": row.service_name,
            "organisation": org,
            "reception_body": row.body,
            "scheme": row.scheme,
            "first_granted_on": row.first_granted_on,
            "valid_from": row.valid_from,
            "valid_until": row.valid_until,
            "status": row.status,
        }
        licence = (
            Licence.objects.select_for_update(of=("self",))
            .select_related("organisation", "reception_body")
            .filter(number=row.number)
            .first()
        )
        if licence is None:
            licence = Licence(number=row.number, serial=row.serial, **wanted)
            licence.refresh_search_key()
            licence.save()
            _term(licence)
            audit(
                actor=actor,
                action="ssmark.licence.imported",
                target=licence,
                to_state=licence.status,
                data={"number": licence.number, "line": row.line}
                | {k: _show(v) for k, v in wanted.items()},
            )
            summary.created.append(row.number)
            continue
        changed = {
            name: [_show(getattr(licence, name)), _show(value)]
            for name, value in wanted.items()
            if getattr(licence, name) != value
        }
        if not changed:
            summary.unchanged.append(row.number)
            continue
        from_status = licence.status
        for name, value in wanted.items():
            setattr(licence, name, value)
        licence.refresh_search_key()
        licence.save()
        if "status" in changed:
            StatusChange.objects.create(
                licence=licence,
                from_status=from_status,
                to_status=row.status,
                reason="import-registry",
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
        if "valid_from" in changed or "valid_until" in changed:
            _term(licence)
        audit(
            actor=actor,
            action="ssmark.licence.import_updated",
            target=licence,
            from_state=from_status,
            to_state=licence.status,
            data={"number": licence.number, "line": row.line, "changed": changed},
        )
        summary.updated.append(row.number)
    if rows:
        bump_counter_to(max(row.serial for row in rows))
    return summary


class _DryRun(Exception):
    pass


def import_registry(path: Path, *, dry_run: bool = False, actor: Any = None) -> Summary:
    """Check every row of `path`, then create or update the licences in one transaction.

    Raises ImportRefused (nothing written) listing every problem. With `dry_run`, everything
    is done and then rolled back, so the summary is exactly what a real run would report."""
    rows = _check(path)
    summary = Summary()
    try:
        with transaction.atomic():
            summary = _apply(rows, actor)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return summary
