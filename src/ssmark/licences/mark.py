"""The live mark as SVG: the valid mark for a valid licence, a clearly different "無効 / NOT
VALID" image otherwise. Never the valid design for a licence that is not valid.

The text is fixed Japanese and English (not the request's language), so one cached image
serves everyone. Everything interpolated is XML-escaped.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from xml.sax.saxutils import escape

from ssmark.core.dates import ja_date

from .models import VALID_STATUSES, LicenceStatus

# Bump when the drawing changes, so cached copies (ETag) are replaced.
MARK_VERSION = "2"
MARK_NAME_JA = "インターネット接続サービス安全・安心マーク"
MARK_TITLE_JA = "安全・安心マーク"
MARK_SUBTITLE_JA = "インターネット接続サービス"

STATUS_TEXT: dict[str, tuple[str, str]] = {
    LicenceStatus.ACTIVE: ("有効", "Valid"),
    LicenceStatus.RENEWAL_PENDING: ("有効（更新審査中）", "Valid"),
    LicenceStatus.LAPSED: ("失効", "Lapsed"),
    LicenceStatus.SUSPENDED: ("使用停止中", "Suspended"),
    LicenceStatus.REVOKED: ("許諾取消", "Revoked"),
}

FONT = (
    "'Noto Sans CJK JP','Noto Sans JP','Hiragino Kaku Gothic ProN','Hiragino Sans',"
    "'Yu Gothic',Meiryo,sans-serif"
)

VALID_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="240" height="88" \
viewBox="0 0 240 88" role="img" aria-labelledby="t">
<title id="t">{title}</title>
<rect x="1" y="1" width="238" height="86" rx="10" fill="#ffffff" stroke="#0b5cad" \
stroke-width="2"/>
<g transform="translate(14 14)">
<path d="M26 0 L50 8 V30 C50 46 38 56 26 60 C14 56 2 46 2 30 V8 Z" fill="#0b5cad"/>
<path d="M14 30 L23 39 L40 20" fill="none" stroke="#ffffff" stroke-width="6" \
stroke-linecap="round" stroke-linejoin="round"/>
</g>
<g font-family="{font}" fill="#1d2330">
<text x="76" y="26" font-size="10">{subtitle}</text>
<text x="76" y="46" font-size="17" font-weight="700" fill="#0b5cad">{name}</text>
<text x="76" y="66" font-size="12">許諾番号 <tspan font-weight="700">{number}</tspan></text>
<text x="76" y="80" font-size="9" fill="#16794a">{status_ja} / {status_en}</text>
</g>
</svg>
"""

INVALID_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="240" height="88" \
viewBox="0 0 240 88" role="img" aria-labelledby="t">
<title id="t">{title}</title>
<rect x="1" y="1" width="238" height="86" rx="10" fill="#fdecea" stroke="#b42318" \
stroke-width="2" stroke-dasharray="6 4"/>
<g transform="translate(16 18)" stroke="#b42318" stroke-width="7" stroke-linecap="round">
<circle cx="24" cy="26" r="22" fill="none"/>
<path d="M9 41 L39 11"/>
</g>
<g font-family="{font}" fill="#b42318">
<text x="76" y="34" font-size="26" font-weight="700">{big}</text>
<text x="{big_en_x}" y="34" font-size="12" font-weight="700">{big_en}</text>
<text x="76" y="52" font-size="11" fill="#1d2330">{line_ja}</text>
<text x="76" y="66" font-size="10" fill="#1d2330">{since_ja}</text>
<text x="76" y="80" font-size="9" fill="#1d2330">{line_en}</text>
</g>
</svg>
"""

# The 404 image of an unknown number: an embedded <img> shows a clear picture, not a broken one.
NOT_FOUND_JA = "該当する許諾はありません"
NOT_FOUND_EN = "No such licence"


def _invalid(
    *, title: str, big: str, big_en: str, big_en_x: int, line_ja: str, since_ja: str, line_en: str
) -> str:
    return INVALID_SVG.format(
        title=escape(title),
        font=escape(FONT, {'"': "&quot;"}),
        big=escape(big),
        big_en=escape(big_en),
        big_en_x=big_en_x,
        line_ja=escape(line_ja),
        since_ja=escape(since_ja),
        line_en=escape(line_en),
    )


def render(number: str, status: str, since: datetime.date | None = None) -> str:
    """The mark of licence `number` in its public `status` (ssmark.licences.validity);
    `since` is the day a suspension, revocation or lapse took effect, shown on the image."""
    status_ja, status_en = STATUS_TEXT.get(status, ("無効", "Not valid"))
    if status in VALID_STATUSES:
        title = f"{MARK_NAME_JA} 許諾番号 {number} {status_ja} / Safe/Secure Mark {number}: valid"
        return VALID_SVG.format(
            title=escape(title),
            font=escape(FONT, {'"': "&quot;"}),
            subtitle=MARK_SUBTITLE_JA,
            name=MARK_TITLE_JA,
            number=escape(number),
            status_ja=escape(status_ja),
            status_en=escape(status_en),
        )
    since_ja = f"{ja_date(since)}から" if since else ""
    since_en = f" since {since.isoformat()}" if since else ""
    title = f"無効：{MARK_TITLE_JA} 許諾番号 {number} {status_ja}{since_ja} / NOT VALID ({status_en}{since_en})"
    return _invalid(
        title=title,
        big="無効",
        big_en="NOT VALID",
        big_en_x=136,
        line_ja=f"許諾番号 {number}：{status_ja}",
        since_ja=since_ja,
        line_en=f"{status_en}{since_en}" if since else f"This mark is not valid ({status_en})",
    )


def render_not_found(number: str) -> str:
    shown = number[:16]
    return _invalid(
        title=f"{NOT_FOUND_JA}（{shown}） / {NOT_FOUND_EN}",
        big="該当なし",
        big_en="",
        big_en_x=186,
        line_ja=NOT_FOUND_JA,
        since_ja=f"許諾番号 {shown}",
        line_en=f"{NOT_FOUND_EN}: not genuine",
    )


@functools.lru_cache(maxsize=100_000)
def rendered(
    number: str, status: str, valid_until: datetime.date, since: datetime.date | None
) -> tuple[bytes, str]:
    """(SVG bytes, ETag) of one public state, made once per process. The ETag covers the
    public status, the validity day and the effective date, so it changes when they do."""
    body = render(number, status, since).encode()
    return body, etag(number, status, f"{valid_until.isoformat()}|{since or ''}")


def etag(number: str, status: str, state: str) -> str:
    digest = hashlib.sha256(f"{MARK_VERSION}|{number}|{status}|{state}".encode()).hexdigest()
    return f'"{digest[:32]}"'
