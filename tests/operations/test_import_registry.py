"""`ssmark import-registry`: today's 112-licence registry in, all or nothing, idempotent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from ssmark.accounts.models import Organisation
from ssmark.core.models import AuditEntry
from ssmark.licences.models import Licence, LicenceTerm, StatusChange
from ssmark.licences.services import _next_serial

from .conftest import HEADER, seed_rows, write_csv

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_registry", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_imports_112_licences_visible_on_every_public_surface(orgs, tmp_path, client):
    path = write_csv(tmp_path / "registry.csv", seed_rows())  # BOM + CRLF, as Excel saves
    code, out, err = run(str(path))
    assert (code, err) == (0, "")
    assert "112 created, 0 updated, 0 unchanged" in out
    assert Licence.objects.count() == 112
    assert LicenceTerm.objects.filter(kind="imported").count() == 112
    assert AuditEntry.objects.filter(action="ssmark.licence.imported").count() == 112
    # Companies matched by name: TOKAI (12, 21) and テレビ岸和田 (75, 76) have two services.
    assert "(110 organisation(s) created)" in out
    assert Organisation.objects.filter(name="株式会社テレビ岸和田").count() == 1
    j72 = Licence.objects.get(number="J0072")
    assert j72.service_name == "ケーブルインターネットサービス NCN＠NetHome"
    assert j72.reception_body.code == "JAIPA"

    registry = client.get("/registry.json").json()
    assert registry["count"] == 112
    assert client.get("/registry/", {"q": "gmo"}).content.decode().count("GMOとくとくBB") >= 1
    page = client.get("/licences/J0072/")
    assert page.status_code == 200 and "NCN＠NetHome" in page.content.decode()
    assert client.get("/licences/J0072/mark.svg").status_code == 200
    credential = client.get("/licences/J0072/credential")
    assert credential.status_code == 200

    # New numbers continue after the highest imported one (one counter for J, T and D).
    with transaction.atomic():
        assert _next_serial() == 113


def test_second_run_changes_nothing(orgs, tmp_path):
    path = write_csv(tmp_path / "registry.csv", seed_rows())
    assert run(str(path))[0] == 0
    audits = AuditEntry.objects.count()
    terms = LicenceTerm.objects.count()
    code, out, _err = run(str(path))
    assert code == 0 and "0 created, 0 updated, 112 unchanged" in out
    assert (AuditEntry.objects.count(), LicenceTerm.objects.count()) == (audits, terms)


def test_changed_row_updates_the_licence_with_history_and_audit(orgs, tmp_path):
    rows = seed_rows()
    run(str(write_csv(tmp_path / "a.csv", rows)))
    rows[71] = rows[71] | {"status": "suspended", "valid_until": "2027-12-31"}
    code, out, _err = run(str(write_csv(tmp_path / "b.csv", rows)))
    assert code == 0 and "0 created, 1 updated, 111 unchanged" in out
    lic = Licence.objects.get(number="J0072")
    assert (lic.status, lic.valid_until.isoformat()) == ("suspended", "2027-12-31")
    change = StatusChange.objects.get(licence=lic)
    assert (change.from_status, change.to_status) == ("active", "suspended")
    assert lic.terms.count() == 2
    entry = AuditEntry.objects.get(action="ssmark.licence.import_updated")
    assert entry.data["changed"]["status"] == ["active", "suspended"]
    assert entry.target_id == str(lic.pk)


def test_dry_run_reports_and_writes_nothing(orgs, tmp_path):
    path = write_csv(tmp_path / "registry.csv", seed_rows())
    code, out, _err = run(str(path), "--dry-run")
    assert code == 0 and "112 created" in out
    assert Licence.objects.count() == 0
    assert Organisation.objects.filter(kind="applicant").count() == 2  # the fixtures' own
    assert not AuditEntry.objects.exists()


def test_lf_without_bom_and_any_column_order(orgs, tmp_path):
    rows = seed_rows()[:3]
    header = [*reversed(HEADER), "company_en", "scheme", "contact_email"]
    rows[0] |= {"company_en": "NTT Com", "scheme": "", "contact_email": "sec@ocn.example"}
    path = write_csv(tmp_path / "r.csv", rows, header=header, bom=False, newline="\n")
    code, _out, err = run(str(path))
    assert (code, err) == (0, "")
    ocn = Licence.objects.get(number="T0001")
    assert ocn.scheme == "isp"
    assert ocn.organisation.name_en == "NTT Com"
    assert ocn.organisation.security_contact_email == "sec@ocn.example"


def test_xlsx(orgs, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in seed_rows()[:5]:
        cells: list[object] = [row[h] for h in HEADER]
        import datetime

        cells[4] = datetime.datetime.fromisoformat(row["first_granted"])  # a real date cell
        sheet.append(cells)
    path = tmp_path / "registry.xlsx"
    book.save(path)
    code, out, err = run(str(path))
    assert (code, err) == (0, "")
    assert "5 created" in out
    assert (
        Licence.objects.get(number="T0004").first_granted_on.isoformat()
        == seed_rows()[3]["first_granted"]
    )


def test_every_problem_is_listed_and_nothing_is_written(orgs, tmp_path):
    rows = seed_rows()[:8]
    rows[1] = rows[1] | {"number": "T0001"}  # line 3: duplicate
    rows[2] = rows[2] | {"reception_body": "TELESA"}  # line 4: J0003 is not TELESA's
    rows[3] = rows[3] | {"reception_body": "XYZ"}  # line 5: unknown body
    rows[4] = rows[4] | {"valid_from": "2026/01/01"}  # line 6: bad date
    rows[5] = rows[5] | {"valid_until": "2001-01-01"}  # line 7: before valid_from
    rows[6] = rows[6] | {"status": "expired"}  # line 8: unknown status
    rows[7] = rows[7] | {"service_name": ""}  # line 9: empty required cell
    code, _out, err = run(str(write_csv(tmp_path / "bad.csv", rows)))
    assert code == 2
    lines = err.splitlines()
    assert any(line.startswith("line 3: number: T0001 appears twice") for line in lines)
    assert any(
        line.startswith("line 4: number: J0003 does not start with TELESA") for line in lines
    )
    assert any(
        line.startswith("line 5: reception_body: unknown reception body 'XYZ'") for line in lines
    )
    assert any(line.startswith("line 6: valid_from: '2026/01/01' is not a date") for line in lines)
    assert any(line.startswith("line 7: valid_until: 2001-01-01 is before") for line in lines)
    assert any(line.startswith("line 8: status: unknown status 'expired'") for line in lines)
    assert any(line.startswith("line 9: service_name: required, but empty") for line in lines)
    assert Licence.objects.count() == 0
    assert Organisation.objects.filter(kind="applicant").count() == 2  # the fixtures' own


def test_number_of_another_service_and_extra_columns_are_refused(orgs, tmp_path):
    rows = seed_rows()[:2]
    run(str(write_csv(tmp_path / "a.csv", rows)))
    rows[1] = rows[1] | {"service_name": "別のサービス"}
    code, _out, err = run(str(write_csv(tmp_path / "b.csv", rows)))
    assert code == 2
    assert "line 3: number: D0002 is already used by another service" in err
    assert Licence.objects.get(number="D0002").service_name != "別のサービス"

    extra = write_csv(tmp_path / "c.csv", rows, header=[*HEADER, "notes"])
    code, _out, err = run(str(extra))
    assert code == 2 and "line 1: notes: unknown column" in err

    missing = write_csv(tmp_path / "d.csv", rows, header=HEADER[:-1])
    code, _out, err = run(str(missing))
    assert code == 2 and "line 1: status: required column is missing" in err


def test_command_line_exit_code(orgs, tmp_path: Path):
    code, _out, err = run(str(tmp_path / "missing.csv"))
    assert code == 2 and "does not exist" in err
