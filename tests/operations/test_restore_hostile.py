"""`ssmark restore` of a hostile archive: a member that would land outside the data folders
(absolute path, `..`, a symlink or hard link), an oversized member or manifest, a member the
manifest does not list or lists twice are refused with exit 2 before anything is written, even
when the manifest's sums match the bytes."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ssmark.licences.models import Licence

from .test_backup_restore import _move_to_fresh_folders, installation, run  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive) as tar:
        return [(m, tar.extractfile(m).read()) for m in tar.getmembers()]


def _write(
    target: Path,
    members: list[tuple[tarfile.TarInfo, bytes]],
    extra: list[tuple[tarfile.TarInfo, bytes]] = (),
    *,
    listed: Callable[[dict[str, str]], None] = lambda files: None,
) -> Path:
    """`members` (the manifest first) plus `extra`, each extra regular file listed in the
    manifest with its true SHA-256 (so only the path or the size can be wrong)."""
    manifest = json.loads(members[0][1])
    for info, data in extra:
        if info.isfile():
            manifest["files"][info.name] = hashlib.sha256(data).hexdigest()
        else:
            manifest["files"][info.name] = hashlib.sha256(b"").hexdigest()
    listed(manifest["files"])
    data = json.dumps(manifest).encode()
    head = members[0][0]
    head.size = len(data)
    with tarfile.open(target, "w:gz") as tar:
        tar.addfile(head, io.BytesIO(data))
        for info, body in [*members[1:], *extra]:
            tar.addfile(info, io.BytesIO(body) if info.isfile() else None)
    return target


def _file(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, b""


@pytest.fixture
def fresh(installation, settings):  # noqa: F811
    """A backup of the installation, and a fresh empty target to restore it into."""
    archive = installation / "b.tar.gz"
    assert run("backup", str(archive))[0] == 0
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    evidence = _move_to_fresh_folders(settings, installation, "new")
    return archive, evidence


def _refused(archive: Path, evidence: Path, words: str) -> None:
    code, _out, err = run("restore", str(archive))
    assert code == 2, err
    assert words in err, err
    assert not Licence.objects.exists()
    assert not any(evidence.iterdir())
    assert not any(evidence.parent.glob("escaped*"))


@pytest.mark.parametrize(
    "name",
    [
        "evidence/../escaped.txt",  # inside the work folder, outside the evidence folder
        "evidence/a/../../escaped.txt",
        "evidence/../../escaped.txt",
        "/escaped.txt",
        "evidence//escaped.txt",
        "evidence/./escaped.txt",
        "escaped.txt",
        "evidence\\..\\escaped.txt",
    ],
)
def test_refuses_a_member_outside_the_data_folders(fresh, name):
    archive, evidence = fresh
    hostile = _write(archive.with_name("h.tar.gz"), _members(archive), [_file(name, b"owned")])
    _refused(hostile, evidence, "unsafe path")


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_refuses_links(fresh, kind):
    archive, evidence = fresh
    hostile = _write(
        archive.with_name("h.tar.gz"),
        _members(archive),
        [_link("evidence/passwd", "/etc/passwd", kind)],
    )
    _refused(hostile, evidence, "evidence/passwd: not a regular file")


def test_refuses_an_oversized_archive_before_unpacking_it(fresh, settings):
    archive, evidence = fresh
    settings.RESTORE_MAX_MB = 1
    big = _file("evidence/huge.bin", b"\0" * (2 * 1024 * 1024))
    _refused(
        _write(archive.with_name("h.tar.gz"), _members(archive), [big]),
        evidence,
        "evidence/huge.bin: the archive unpacks to more than SSMARK_RESTORE_MAX_MB (1 MB)",
    )


def test_refuses_an_oversized_or_misplaced_manifest(fresh, settings):
    archive, evidence = fresh
    members = _members(archive)
    settings.RESTORE_MANIFEST_MAX_MB = 1
    padded = _write(
        archive.with_name("p.tar.gz"),
        members,
        listed=lambda files: files.update({f"evidence/x{i:07}": "0" * 64 for i in range(20000)}),
    )
    _refused(padded, evidence, "more than SSMARK_RESTORE_MANIFEST_MAX_MB (1 MB)")

    reordered = archive.with_name("r.tar.gz")
    members = _members(archive)
    with tarfile.open(reordered, "w:gz") as tar:
        for info, data in [*members[1:], members[0]]:
            tar.addfile(info, io.BytesIO(data))
    _refused(reordered, evidence, "manifest.json is not its first member")


def test_refuses_a_member_twice(fresh):
    archive, evidence = fresh
    members = _members(archive)
    again = next((i, d) for i, d in members if i.name.startswith("evidence/"))
    _refused(
        _write(archive.with_name("h.tar.gz"), [*members, again]),
        evidence,
        f"{again[0].name}: in the archive twice",
    )


def test_refuses_an_oversized_key(fresh):
    archive, evidence = fresh
    members = [
        _file(info.name, b"k" * (1024 * 1024)) if info.name == "keys/secret_key" else (info, data)
        for info, data in _members(archive)
    ]
    _refused(
        _write(
            archive.with_name("h.tar.gz"),
            members,
            listed=lambda files: files.update(
                {"keys/secret_key": hashlib.sha256(b"k" * (1024 * 1024)).hexdigest()}
            ),
        ),
        evidence,
        "keys/secret_key: 1048576 bytes, not a key",
    )


def test_rows_that_do_not_load_leave_the_replaced_data_as_it_was(installation):  # noqa: F811
    archive = installation / "b.tar.gz"
    assert run("backup", str(archive))[0] == 0
    members = _members(archive)
    bad = b'{"model": "licences.licence", "pk": 1, "fields": {"no_such_field": 1}}\n'
    members = [
        _file(info.name, bad) if info.name == "database.jsonl" else (info, data)
        for info, data in members
    ]
    hostile = _write(
        archive.with_name("h.tar.gz"),
        members,
        listed=lambda files: files.update({"database.jsonl": hashlib.sha256(bad).hexdigest()}),
    )
    before = Licence.objects.count()
    code, _out, err = run("restore", str(hostile), "--force")
    assert code == 2 and "database.jsonl: the rows could not be loaded" in err, err
    assert Licence.objects.count() == before > 100
