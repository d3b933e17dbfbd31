"""Switching to ssmark in one go: today's 112-licence registry and a people file are imported,
an invited person joins by the e-mailed link and signs in, a password is reset by e-mail, and a
backup restored into a fresh database and folder gives identical public output."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from ssmark.licences import signing

from .conftest import seed_rows, write_csv
from .test_backup_restore import _move_to_fresh_folders, public_output

pytestmark = pytest.mark.django_db(transaction=True)


def run(name: str, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def _path(body: str, pattern: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + pattern + r")", body)
    assert match, body
    return match.group(1)


def test_switch(orgs, users, tmp_path, settings, client):
    _move_to_fresh_folders(settings, tmp_path, "today")
    signing._create_key(signing.key_path())
    assert "112 created" in run("import_registry", str(write_csv(tmp_path / "r.csv", seed_rows())))

    people = tmp_path / "people.csv"
    people.write_text(
        "email,organisation,roles,family_name,given_name\n"
        "ocn@isp.example,エヌ・ティ・ティ・コミュニケーションズ株式会社,applicant,佐藤,一郎\n"
        "staff@jaipa.example,JAIPA,reception_staff,鈴木,二郎\n",
        encoding="utf-8",
    )
    assert "2 invitation(s) sent" in run("import_people", str(people))
    invitation = next(m for m in mail.outbox if m.to == ["ocn@isp.example"])
    join = _path(invitation.body, r"/people/join/\S+/")
    person = Client()
    person.post(
        join,
        {
            "family_name": "佐藤",
            "given_name": "一郎",
            "password1": "ichiro no passphrase",
            "password2": "ichiro no passphrase",
        },
    )
    assert Client().login(username="ocn@isp.example", password="ichiro no passphrase")
    # The new member sees the company's imported licence.
    assert "T0001" in person.get("/licences/mine/").content.decode()

    Client().post("/people/password/reset/", {"email": "ocn@isp.example"})
    reset = _path(mail.outbox[-1].body, r"/people/password/reset/[^/\s]+/[^/\s]+/")
    resetter = Client()
    form = resetter.get(reset, follow=True)
    resetter.post(
        form.redirect_chain[-1][0],
        {"new_password1": "ichiro no new phrase", "new_password2": "ichiro no new phrase"},
    )
    assert Client().login(username="ocn@isp.example", password="ichiro no new phrase")

    before = public_output(client)
    archive = tmp_path / "backup.tar.gz"
    run("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    _move_to_fresh_folders(settings, tmp_path, "restored")
    run("restore", str(archive))
    signing.reset_cache()
    assert public_output(client) == before
    assert Client().login(username="ocn@isp.example", password="ichiro no new phrase")
