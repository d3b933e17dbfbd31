"""ROLES.yaml: which scanned hosts are the applicant's DNS, mail, web, auth servers, routers.

The file maps a host (IP address or host name, as the scanner reports it) to one role
or a list of roles:

    192.0.2.10: dns
    mail.example.jp: [mail, web]
    "2001:db8::1": router        # quote IPv6 addresses

It may instead be wrapped in a top-level `hosts:` key. Roles are dns, mail, web, auth,
router (also accepted: authentication, ルーター/ルータ, メール, ウェブ, 認証).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import yaml

from .errors import ReportError
from .parsers.common import normal_ip

ROLES = ("dns", "mail", "web", "auth", "router")
_ALIASES = {
    "authentication": "auth",
    "radius": "auth",
    "認証": "auth",
    "routers": "router",
    "ルーター": "router",
    "ルータ": "router",
    "メール": "mail",
    "ウェブ": "web",
    "www": "web",
    "smtp": "mail",
    "name server": "dns",
    "nameserver": "dns",
}
MAX_ROLES_FILE = 4 * 1024 * 1024


def normal_host(text: str) -> str:
    ip = normal_ip(text)
    return ip if ip is not None else text.strip().rstrip(".").lower()


def parse_roles(data: Any, name: str = "roles") -> dict[str, set[str]]:
    """{host: {role, ...}} from already-loaded YAML/JSON data."""
    if isinstance(data, Mapping) and set(data) == {"hosts"}:
        data = data["hosts"]
    if not isinstance(data, Mapping):
        raise ReportError("roles file must map each host to its role(s)", name)
    out: dict[str, set[str]] = {}
    for host, value in data.items():
        if host is None or str(host).strip() == "":
            raise ReportError("roles file has an empty host name", name)
        values = value if isinstance(value, list | tuple) else [value]
        roles: set[str] = set()
        for item in values:
            role = str(item).strip().lower() if item is not None else ""
            role = _ALIASES.get(role, role)
            if role not in ROLES:
                raise ReportError(
                    f"unknown role {item!r} for {host} (expected one of {', '.join(ROLES)})", name
                )
            roles.add(role)
        out.setdefault(normal_host(str(host)), set()).update(roles)
    return out


def load_roles(path: str | os.PathLike[str]) -> dict[str, set[str]]:
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            raw = handle.read(MAX_ROLES_FILE + 1)
    except OSError as exc:
        raise ReportError(f"cannot open: {exc.strerror or exc}", name) from exc
    if len(raw) > MAX_ROLES_FILE:
        raise ReportError("roles file is too large", name)
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ReportError(
            f"roles file is not valid YAML: {str(exc).splitlines()[0]}", name
        ) from exc
    return parse_roles(data, name)
