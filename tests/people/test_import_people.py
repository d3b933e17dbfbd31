"""`ssmark import-people FILE.csv`: invitations in bulk, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from ssmark.people.models import Invitation

pytestmark = pytest.mark.django_db


def run(path: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_people", path, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()


def test_invites_everyone(users, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "people.csv"
    path.write_bytes(
        "\ufeffemail,organisation,roles,family_name,given_name\r\n"
        "taro@isp.example,サンプルネット株式会社,applicant,山田,太郎\r\n"
        "hana@jaipa.example,JAIPA,reception_staff;first_reviewer,鈴木,花\r\n".encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        code, out, err = run(str(path))
    assert (code, err) == (0, "")
    assert "2 invitation(s) sent" in out
    hana = Invitation.objects.get(email="hana@jaipa.example")
    assert hana.organisation.code == "JAIPA"
    assert hana.roles == ["first_reviewer", "reception_staff"]
    assert (hana.family_name, hana.given_name) == ("鈴木", "花")
    assert sorted(m.to[0] for m in mail.outbox) == ["hana@jaipa.example", "taro@isp.example"]


def test_any_bad_row_sends_nothing(users, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "email,organisation,roles,family_name,given_name\n"
        "ok@isp.example,sample-net,applicant,,\n"
        "not-an-address,sample-net,applicant,,\n"
        "ok@isp.example,No Such Company,applicant,,\n"
        "alice@example.test,sample-net,chief,,\n"
        "x@isp.example,sample-net,,,\n",
        encoding="utf-8",
    )
    code, _out, err = run(str(path))
    assert code == 2
    assert "line 3: email: 'not-an-address' is not an e-mail address" in err
    assert "line 4: email: ok@isp.example appears twice (also on line 2)" in err
    assert "line 4: organisation: no organisation 'No Such Company'" in err
    assert "line 5: email: an account with alice@example.test already exists" in err
    assert "line 5: roles: unknown role(s) chief" in err
    assert "line 6: roles: required, but empty" in err
    assert not Invitation.objects.exists()
    assert mail.outbox == []
