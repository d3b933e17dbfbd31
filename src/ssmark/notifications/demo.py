"""Demo bulletin: one security bulletin, sent by the secretariat to every active licence holder
(idempotent: only if no bulletin exists yet)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from ssmark.accounts.models import User

from . import services
from .models import Bulletin, Severity

TITLE = "DNSサーバソフトウェア（BIND 9）の脆弱性に関する注意喚起"
BODY = """JPCERT/CC より、DNS サーバソフトウェア BIND 9 の脆弱性に関する注意喚起が公表されました。
遠隔の第三者によりサービス運用妨害（DoS）攻撃を受けるおそれがあります。

許諾事業者の皆様は、お使いの DNS サーバ（権威・キャッシュ）が影響を受けるバージョンか確認し、
開発者が提供する修正済みバージョンへ速やかに更新してください（審査基準 2-1-1 の脆弱性診断の対象です）。

JPCERT/CC has published an alert on vulnerabilities in BIND 9. Please check your DNS servers
and update them to a fixed version without delay."""


@transaction.atomic
def load(out: TextIO) -> None:
    author = User.objects.filter(username="jimukyoku").first()
    if author is None or Bulletin.objects.exists():
        out.write(f"notifications demo: {Bulletin.objects.count()} bulletin(s)\n")
        return
    bulletin = Bulletin.objects.create(
        title=TITLE,
        body=BODY,
        severity=Severity.WARNING,
        links="https://www.jpcert.or.jp/at/",
        created_by=author,
    )
    try:
        count = services.send_bulletin(bulletin=bulletin, actor=author)
    except ValueError:
        count = 0  # no active holder yet: the bulletin stays a draft
    out.write(f"notifications demo: 1 bulletin, sent to {count} recipient(s)\n")
