"""`ssmark backup FILE` and `ssmark restore FILE [--force]`: one archive with everything needed
to bring an installation back.

The archive (a gzip-compressed tar, mode 0600: it holds the keys) contains
- `database.jsonl`: every row, serialised by Django in one transaction (a consistent copy on
  SQLite and PostgreSQL alike; REPEATABLE READ on PostgreSQL), foreign keys to content types
  and users by natural key; one row a line (JSON Lines), so writing and loading it stream
  instead of holding the whole database in memory (format version 1 archives, with one
  `database.json` array, are still restored). Left out: content types and permissions (made
  by `migrate`) and sign-in sessions (a restored site starts with everyone signed out);
- `evidence/…`: every uploaded file (SSMARK_EVIDENCE_DIR), byte for byte;
- `keys/signing_key.pem`: the scheme's Ed25519 signing key (credentials keep their key id);
- `keys/secret_key`: Django's secret key;
- `manifest.json`: the SHA-256 of every other member, the applied migrations (the schema
  version) and row counts.

Restore verifies every sum before it writes anything, refuses an archive whose schema is newer
than the code (a migration the code does not know) and a target that is not empty (any
organisation, user, licence, application or audit entry in the database; any file in the
evidence folder; a different signing key) unless `--force`. It migrates the database to the
archive's schema, loads the rows, migrates forward to the code's schema, then writes the files
and keys.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation

from ssmark.core import clock
from ssmark.licences import signing

FORMAT = "ssmark-backup"
VERSION = 2
DATABASE = "database.jsonl"
DATABASE_V1 = "database.json"  # format version 1: one JSON array
SIGNING_KEY = "keys/signing_key.pem"
SECRET_KEY_MEMBER = "keys/secret_key"  # noqa: S105 (a file name in the archive)
EVIDENCE = "evidence/"
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions", "people.usersession"]
# A database holding any row of these is not an empty restore target.
CONTENT_MODELS = (
    "accounts.Organisation",
    "accounts.User",
    "licences.Licence",
    "applications.Application",
    "core.AuditEntry",
)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass
class BackupReport:
    path: Path
    files: int
    rows: int
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _evidence_root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def _evidence_files() -> Iterator[tuple[str, Path]]:
    root = _evidence_root()
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def applied_migrations() -> dict[str, list[str]]:
    schema: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        schema.setdefault(app, []).append(name)
    return schema


def _dump(path: Path) -> int:
    """Serialise every row into `path` (JSON Lines) in one transaction; the number of rows."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with path.open("w", encoding="utf-8") as out:
            call_command(
                "dumpdata",
                exclude=EXCLUDED_MODELS,
                natural_foreign=True,
                use_base_manager=True,
                format="jsonl",
                stdout=out,
                verbosity=0,
            )
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def backup(target: Path) -> BackupReport:
    """Write the archive to `target` (atomically: a temporary file renamed at the end)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    signing.private_key()  # make sure the key that signs from now on is the one backed up
    with tempfile.TemporaryDirectory(prefix="ssmark-backup-") as work:
        db_path = Path(work) / DATABASE
        rows = _dump(db_path)
        secret_path = Path(work) / "secret_key"
        secret_path.write_text(settings.SECRET_KEY, encoding="ascii")
        members: list[tuple[str, Path]] = [
            (DATABASE, db_path),
            (SIGNING_KEY, signing.key_path()),
            (SECRET_KEY_MEMBER, secret_path),
        ]
        members += [(EVIDENCE + name, path) for name, path in _evidence_files()]
        sums = {name: _sha256(path) for name, path in members}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": clock.now().isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "schema": applied_migrations(),
            "rows": rows,
            "files": sums,
        }
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".ssmark-backup-")
        os.fchmod(fd, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
                for name, path in members:
                    tar.add(str(path), arcname=name, recursive=False)
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    return BackupReport(
        path=target,
        files=sum(1 for n, _p in members if n.startswith(EVIDENCE)),
        rows=rows,
        bytes=target.stat().st_size,
    )


# --- Restore ----------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    rows: int
    files: int
    warnings: list[str]


MB = 1024 * 1024
# The keys are read into memory: a PEM Ed25519 key or a secret key is well under 1 KB.
KEY_MAX_BYTES = 64 * 1024
FIXED_MEMBERS = frozenset({DATABASE, DATABASE_V1, SIGNING_KEY, SECRET_KEY_MEMBER})


def _checked_name(name: str) -> str:
    """`name` if a restore may write it: one of the fixed members or a plain relative path
    under evidence/ (no absolute path, no `..` or `.` part, no backslash, no empty part)."""
    parts = name.split("/")
    plain = (
        "\\" not in name and "\0" not in name and all(part not in ("", ".", "..") for part in parts)
    )
    if plain and (name in FIXED_MEMBERS or (name.startswith(EVIDENCE) and len(parts) > 1)):
        return name
    raise BackupError(f"{name!r}: unsafe path (not a member an ssmark backup holds)")


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    """The manifest, which a backup writes first: read before anything else is unpacked, its
    size bounded (RESTORE_MANIFEST_MAX_MB), every file name in it checked."""
    first = tar.next()
    if first is None or first.name != "manifest.json":
        raise BackupError("not an ssmark backup: manifest.json is not its first member")
    if not first.isfile():
        raise BackupError("not an ssmark backup: manifest.json is not a file")
    limit = settings.RESTORE_MANIFEST_MAX_MB * MB
    if first.size > limit:
        raise BackupError(
            f"manifest.json is {first.size} bytes, more than SSMARK_RESTORE_MANIFEST_MAX_MB "
            f"({settings.RESTORE_MANIFEST_MAX_MB} MB)"
        )
    member = tar.extractfile(first)
    assert member is not None
    try:
        manifest = json.loads(member.read(limit + 1).decode("utf-8"))
    except ValueError as exc:
        raise BackupError(f"manifest.json is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not an ssmark backup: the manifest's format is wrong")
    if not isinstance(manifest.get("version", 0), int) or manifest.get("version", 0) > VERSION:
        raise BackupError(
            f"the archive's format version {manifest['version']} is newer than this ssmark "
            f"reads ({VERSION}); restore it with a newer ssmark"
        )
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BackupError("not an ssmark backup: the manifest lists no files")
    for name in files:
        _checked_name(name)
    return manifest


def _extract_verified(tar: tarfile.TarFile, manifest: dict[str, Any], into: Path) -> None:
    """Extract every member named in the manifest into `into`, checking each SHA-256; refuse
    unlisted, repeated, missing, unsafe, oversized or damaged members. The members are read
    one by one as the archive is unpacked (nothing is read whole), and their declared sizes
    together may not pass SSMARK_RESTORE_MAX_MB nor the free space of `into`."""
    listed: dict[str, str] = manifest["files"]
    budget = min(settings.RESTORE_MAX_MB * MB, shutil.disk_usage(into).free)
    seen: set[str] = set()
    members = iter(tar)
    next(members)  # the manifest, read by _read_manifest
    for member in members:
        name = _checked_name(member.name)
        if name not in listed:
            raise BackupError(f"{name}: in the archive but not in the manifest")
        if name in seen:
            raise BackupError(f"{name}: in the archive twice")
        if not member.isfile():
            raise BackupError(f"{name}: not a regular file")
        if name in (SIGNING_KEY, SECRET_KEY_MEMBER) and member.size > KEY_MAX_BYTES:
            raise BackupError(f"{name}: {member.size} bytes, not a key")
        budget -= member.size
        if budget < 0:
            raise BackupError(
                f"{name}: the archive unpacks to more than SSMARK_RESTORE_MAX_MB "
                f"({settings.RESTORE_MAX_MB} MB) or the free space of {into}"
            )
        dest = into / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        assert source is not None
        digest = hashlib.sha256()  # while copying: the member is read once
        with dest.open("xb") as out:
            while block := source.read(1 << 20):
                digest.update(block)
                out.write(block)
        if digest.hexdigest() != listed[name]:
            raise BackupError(f"{name}: SHA-256 does not match the manifest (damaged)")
        seen.add(name)
    missing = sorted(set(listed) - seen)
    if missing:
        raise BackupError(f"missing from the archive: {', '.join(missing)}")


def _check_schema(manifest: dict[str, Any]) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.get("schema", {}).items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "the archive comes from a newer schema than this code (unknown migrations: "
            + ", ".join(unknown[:10])
            + ("…" if len(unknown) > 10 else "")
            + "); upgrade ssmark first"
        )


def target_problems(signing_key: bytes | None) -> list[str]:
    """Why the target is not empty (nothing: it may be restored into without --force)."""
    problems = []
    tables = set(connection.introspection.table_names())
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        if model._meta.db_table in tables and model._default_manager.exists():
            with translation.override("en"):
                problems.append(f"the database already holds {model._meta.verbose_name_plural}")
    if any(True for _ in _evidence_files()):
        problems.append(f"the evidence folder {_evidence_root()} is not empty")
    key = signing.key_path()
    if signing_key is not None and key.exists() and key.read_bytes() != signing_key:
        problems.append(f"a different signing key exists at {key}")
    return problems


def _migrate_to(schema: dict[str, list[str]]) -> None:
    """Bring the database to the archive's schema (forwards or backwards)."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    targets: list[tuple[str, str | None]] = []
    for app_config in apps.get_app_configs():
        label = app_config.label
        if not any(key[0] == label for key in graph.nodes):
            continue
        names = set(schema.get(label, []))
        leaves = [
            name
            for name in names
            if not any(
                child[0] == label and child[1] in names
                for child in graph.node_map[(label, name)].children
            )
        ]
        if not names:
            targets.append((label, None))
        else:
            targets.extend((label, name) for name in sorted(leaves))
    plan = executor.migration_plan(targets)
    if plan:
        executor.migrate(targets, plan=plan)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ssmark-restore-")
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def restore(source: Path, *, force: bool = False) -> RestoreReport:
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ssmark-restore-") as work_name:
        work = Path(work_name)
        try:
            with tarfile.open(source, mode="r:*") as tar:
                manifest = _read_manifest(tar)
                _extract_verified(tar, manifest, work)
        except tarfile.TarError as exc:
            raise BackupError(f"{source}: not a readable archive ({exc})") from None
        _check_schema(manifest)
        listed = manifest["files"]
        database = work / (DATABASE if DATABASE in listed else DATABASE_V1)
        absent = [n for n in (database.name, SIGNING_KEY, SECRET_KEY_MEMBER) if n not in listed]
        if absent:
            raise BackupError(f"not a complete ssmark backup: no {', '.join(absent)}")
        key_bytes = (work / SIGNING_KEY).read_bytes()
        problems = target_problems(key_bytes)
        if problems and not force:
            raise BackupError(
                "the target is not empty: " + "; ".join(problems) + " (use --force to replace it)"
            )
        # The database: the archive's schema, no rows, the rows, then the code's schema.
        _migrate_to(manifest.get("schema", {}))
        # Emptying and loading in one transaction: rows that do not load leave the database as
        # it was (with --force, the data being replaced), and nothing else is written.
        try:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(database), verbosity=0)
        except Exception as exc:  # loaddata raises many kinds for rows it cannot load
            raise BackupError(f"{database.name}: the rows could not be loaded ({exc})") from None
        call_command("migrate", interactive=False, verbosity=0)
        # The files: the evidence folder becomes exactly the archive's.
        root = _evidence_root()
        if root.is_dir():
            for child in root.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        files = 0
        for name in manifest["files"]:
            if name.startswith(EVIDENCE):
                dest = root / name[len(EVIDENCE) :]
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(work / name, dest)
                files += 1
        _write_private(signing.key_path(), key_bytes)
        signing.reset_cache()
        secret = (work / SECRET_KEY_MEMBER).read_text(encoding="ascii").strip()
        if os.environ.get("SSMARK_SECRET_KEY", "").strip():
            if os.environ["SSMARK_SECRET_KEY"].strip() != secret:
                warnings.append(
                    "SSMARK_SECRET_KEY is set and differs from the archive's secret key; "
                    "set it to the value in the archive's keys/secret_key"
                )
        else:
            _write_private(Path(settings.VAR_DIR) / "secret_key", secret.encode("ascii"))
    return RestoreReport(rows=int(manifest.get("rows", 0)), files=files, warnings=warnings)
