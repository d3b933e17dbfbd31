"""`ssmark import-people FILE.csv`: invitations in bulk, all or nothing.

Columns (any order, no others): `email, organisation, roles, family_name, given_name`.
`organisation` is an organisation's code (JAIPA, …) or its exact name; `roles` are role values
(`applicant`, `reception_staff`, `first_reviewer`, `committee_member`, `secretariat`,
`administrator`) separated by `;` or spaces; the names are optional (they prefill the form the
person fills in). Every problem is reported as `line N: column: what is wrong` and nothing is
sent unless every row is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from ssmark.accounts.models import Organisation, Role
from ssmark.core import clock
from ssmark.operations.tabular import ImportRefused, Problem, check_header, read_table

from . import services
from .models import Invitation

REQUIRED = ("email", "organisation", "roles")
OPTIONAL = ("family_name", "given_name")


@dataclass
class Row:
    line: int
    email: str
    organisation: Organisation
    roles: list[str]
    family_name: str
    given_name: str


def _check(path: Path) -> list[Row]:
    table = read_table(path)
    problems = check_header(table, REQUIRED, OPTIONAL)
    if any(p.line == 1 for p in problems):
        raise ImportRefused(problems)
    seen: dict[str, int] = {}
    rows = []
    now = clock.now()
    for line, cells in table.rows:
        bad: list[Problem] = []
        for name in REQUIRED:
            if not cells.get(name, ""):
                bad.append(Problem(line, name, "required, but empty"))
        email = cells.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                bad.append(Problem(line, "email", f"{email!r} is not an e-mail address"))
            else:
                key = email.casefold()
                if key in seen:
                    bad.append(
                        Problem(line, "email", f"{email} appears twice (also on line {seen[key]})")
                    )
                seen.setdefault(key, line)
                if services.account_exists(email):
                    bad.append(Problem(line, "email", f"an account with {email} already exists"))
                elif services.has_pending_invitation(email, now):
                    bad.append(Problem(line, "email", f"{email} already has a pending invitation"))
        org_text = cells.get("organisation", "")
        org = None
        if org_text:
            matches = list(Organisation.objects.filter(Q(code=org_text) | Q(name=org_text))[:2])
            if not matches:
                bad.append(Problem(line, "organisation", f"no organisation {org_text!r}"))
            elif len(matches) > 1:
                bad.append(
                    Problem(line, "organisation", f"{org_text!r} names more than one organisation")
                )
            else:
                org = matches[0]
        roles = [r for r in re.split(r"[;\s|]+", cells.get("roles", "")) if r]
        unknown = [r for r in roles if r not in Role.values]
        if unknown:
            bad.append(
                Problem(
                    line,
                    "roles",
                    f"unknown role(s) {', '.join(unknown)} (one or more of: {', '.join(Role.values)})",
                )
            )
        if bad:
            problems.extend(bad)
            continue
        assert org is not None
        rows.append(
            Row(
                line=line,
                email=email,
                organisation=org,
                roles=roles,
                family_name=cells.get("family_name", ""),
                given_name=cells.get("given_name", ""),
            )
        )
    if problems:
        raise ImportRefused(problems)
    return rows


def import_people(path: Path, *, dry_run: bool = False) -> list[Invitation]:
    """Check every row, then invite everyone in one transaction (the e-mails go on commit)."""
    rows = _check(path)
    if dry_run:
        return []
    with transaction.atomic():
        return [
            services.invite(
                actor=None,
                email=row.email,
                organisation=row.organisation,
                roles=row.roles,
                family_name=row.family_name,
                given_name=row.given_name,
            )
            for row in rows
        ]
