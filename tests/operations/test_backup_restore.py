"""`ssmark backup` / `ssmark restore`: a round trip into a fresh database and data folder gives
identical public output, credential key ids and evidence bytes."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.test import Client

from ssmark.accounts.models import User
from ssmark.licences import signing
from ssmark.licences.models import Licence

from .conftest import seed_rows, write_csv

pytestmark = pytest.mark.django_db(transaction=True)
EVIDENCE = {
    "applications/7/evidence/policy.pdf": b"%PDF-1.4 policy \x00\x01\x02",
    "applications/7/scans/report.xml": "<report>脆弱性</report>".encode(),
}


def run(name: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()


def public_output(client: Client) -> dict[str, object]:
    registry = client.get("/registry.json").json()
    registry.pop("generated_at")
    numbers = [item["number"] for item in registry["licences"]]
    return {
        "registry": registry,
        "registry_csv": client.get("/registry.csv").content,
        "verify": {n: client.get(f"/licences/{n}/").content for n in numbers[:5]},
        "kid": signing.public_jwk()["kid"],
        "credential_kids": {
            n: json.loads(
                signing.b64url_decode(
                    client.get(f"/licences/{n}/credential").content.decode().split(".")[0]
                )
            )["kid"]
            for n in numbers
        },
    }


def _move_to_fresh_folders(settings, tmp_path: Path, name: str) -> Path:
    evidence = tmp_path / name / "evidence"
    evidence.mkdir(parents=True)
    settings.EVIDENCE_ROOT = evidence
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(evidence)},
        },
    }
    storages._storages.clear()
    settings.VAR_DIR = tmp_path / name
    setattr(settings, signing.ENV_KEY_FILE, str(tmp_path / name / "signing.pem"))
    signing.reset_cache()
    return evidence


@pytest.fixture
def installation(orgs, users, tmp_path, settings):
    _move_to_fresh_folders(settings, tmp_path, "old")
    signing._create_key(signing.key_path())
    assert run("import_registry", str(write_csv(tmp_path / "r.csv", seed_rows())))[0] == 0
    for name, data in EVIDENCE.items():
        default_storage.save(name, ContentFile(data))
    return tmp_path


def test_round_trip_gives_identical_output(installation, settings, client):
    tmp_path = installation
    before = public_output(client)
    old_secret = settings.SECRET_KEY
    archive = tmp_path / "backup.tar.gz"
    code, out, err = run("backup", str(archive))
    assert (code, err) == (0, ""), err
    assert "2 uploaded file(s)" in out
    assert archive.stat().st_mode & 0o077 == 0  # it holds the keys

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        lines = tar.extractfile("database.jsonl").read().splitlines()
    assert len(lines) == manifest["rows"] > 100  # one row a line: written and loaded streaming
    assert all(json.loads(line)["model"] for line in lines)
    assert set(manifest["files"]) == {
        "database.jsonl",
        "keys/signing_key.pem",
        "keys/secret_key",
        *(f"evidence/{n}" for n in EVIDENCE),
    }
    assert all(len(s) == 64 for s in manifest["files"].values())
    assert "0001_initial" in manifest["schema"]["licences"]

    # A fresh installation: empty database, empty data folder, no keys.
    call_command("flush", interactive=False, verbosity=0)
    evidence = _move_to_fresh_folders(settings, tmp_path, "new")
    assert not Licence.objects.exists()

    code, out, err = run("restore", str(archive))
    assert (code, err) == (0, ""), err
    signing.reset_cache()
    assert public_output(client) == before
    for name, data in EVIDENCE.items():
        assert (evidence / name).read_bytes() == data
    assert (tmp_path / "new" / "secret_key").read_text() == old_secret
    assert Client().login(username="alice", password="correct horse battery")
    assert User.objects.count() == 10


def test_refuses_a_non_empty_target_unless_forced(installation, client):
    archive = installation / "b.tar.gz"
    run("backup", str(archive))
    Licence.objects.filter(number="J0003").update(service_name="changed after the backup")
    code, _out, err = run("restore", str(archive))
    assert code == 2 and "the target is not empty" in err
    assert Licence.objects.get(number="J0003").service_name == "changed after the backup"
    code, _out, err = run("restore", str(archive), "--force")
    assert code == 0, err
    assert Licence.objects.get(number="J0003").service_name != "changed after the backup"


def _rewrite(archive: Path, target: Path, change) -> Path:
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


def test_refuses_a_damaged_archive_or_a_newer_schema(installation, settings):
    archive = installation / "b.tar.gz"
    run("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    _move_to_fresh_folders(settings, installation, "new")

    damaged = _rewrite(
        archive,
        installation / "damaged.tar.gz",
        lambda name, data: data + b"x" if name.endswith("policy.pdf") else data,
    )
    code, _out, err = run("restore", str(damaged))
    assert code == 2 and "policy.pdf: SHA-256 does not match" in err

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema"]["licences"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    code, _out, err = run("restore", str(_rewrite(archive, installation / "new.tar.gz", newer)))
    assert code == 2 and "newer schema" in err and "licences.9999_from_the_future" in err
    assert not Licence.objects.exists()
    assert not any(Path(settings.EVIDENCE_ROOT).iterdir())


def test_restores_a_format_1_archive_with_one_json_array(installation, settings, client):
    """Archives written before the JSON Lines dump (format 1, `database.json`) still load."""
    import hashlib

    before = public_output(client)
    archive = installation / "b.tar.gz"
    run("backup", str(archive))
    old = installation / "v1.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(old, "w:gz") as dst:
        members = [(m, src.extractfile(m).read()) for m in src.getmembers()]
        manifest = json.loads(members[0][1])
        rows = b"[" + b",".join(members[1][1].splitlines()) + b"]"
        assert members[1][0].name == "database.jsonl"
        members[1] = (tarfile.TarInfo("database.json"), rows)
        del manifest["files"]["database.jsonl"]
        manifest["files"]["database.json"] = hashlib.sha256(rows).hexdigest()
        manifest["version"] = 1
        members[0] = (members[0][0], json.dumps(manifest).encode())
        for info, data in members:
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    call_command("flush", interactive=False, verbosity=0)
    _move_to_fresh_folders(settings, installation, "new")
    code, _out, err = run("restore", str(old))
    assert (code, err) == (0, ""), err
    signing.reset_cache()
    assert public_output(client) == before
