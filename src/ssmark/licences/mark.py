"""The live mark as SVG: the valid mark for a valid licence, a clearly different "無効 / NOT
VALID" image otherwise. Never the valid design for a licence that is not valid.

The text is fixed Japanese and English (not the request's language), so one cached image
serves everyone. Everything interpolated is XML-escaped.
"""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

from .models import VALID_STATUSES, LicenceStatus

# Bump when the drawing changes, so cached copies (ETag) are replaced.
MARK_VERSION = "1"
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
<text x="76" y="40" font-size="28" font-weight="700">無効</text>
<text x="146" y="40" font-size="13" font-weight="700">NOT VALID</text>
<text x="76" y="62" font-size="11" fill="#1d2330">許諾番号 {number}：{status_ja}</text>
<text x="76" y="78" font-size="9" fill="#1d2330">This mark is not valid ({status_en})</text>
</g>
</svg>
"""


def render(number: str, status: str) -> str:
    status_ja, status_en = STATUS_TEXT.get(status, ("無効", "Not valid"))
    if status in VALID_STATUSES:
        template = VALID_SVG
        title = f"{MARK_NAME_JA} 許諾番号 {number} {status_ja} / Safe/Secure Mark {number}: valid"
    else:
        template = INVALID_SVG
        title = f"無効：{MARK_TITLE_JA} 許諾番号 {number} {status_ja} / NOT VALID ({status_en})"
    return template.format(
        title=escape(title),
        font=escape(FONT, {'"': "&quot;"}),
        subtitle=MARK_SUBTITLE_JA,
        name=MARK_TITLE_JA,
        number=escape(number),
        status_ja=escape(status_ja),
        status_en=escape(status_en),
    )


def etag(number: str, status: str, updated_iso: str) -> str:
    digest = hashlib.sha256(f"{MARK_VERSION}|{number}|{status}|{updated_iso}".encode()).hexdigest()
    return f'"{digest[:32]}"'
