"""The pass notice (合格通知書) as a PDF in Japanese (fonts and page set-up: `ssmark.core.pdf`).

Rendered on demand from a `LicenceTerm` (one per grant or renewal), so it always matches the
record and nothing is stored. The notice is dated the day the committee approved; it is deemed
received `pass_notice.deemed_received_days` later (scheme.yaml), the day from which the annual
mark usage fee's due date counts.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ssmark.core.pdf import GOTHIC, MINCHO, build_pdf, grid_style, ja_date, register_fonts

from . import scheme as scheme_settings
from .models import LicenceTerm, TermKind

COUNCIL_JA = "インターネット接続サービス安全・安心マーク推進協議会"
SCHEME_JA = {"isp": "ISP版", "public_wifi": "公衆無線LAN版"}
KIND_JA: dict[str, str] = {
    TermKind.NEW: "新規審査",
    TermKind.RENEWAL: "更新審査",
    TermKind.IMPORTED: "登録",
}


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=MINCHO, fontSize=10.5, leading=17, wordWrap="CJK")
    return {
        "body": base,
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "addressee": ParagraphStyle("addressee", parent=base, fontSize=13, leading=20),
        "title": ParagraphStyle(
            "title", parent=base, fontName=GOTHIC, fontSize=20, leading=28, alignment=TA_CENTER
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=15),
        "label": ParagraphStyle("label", parent=base, fontName=GOTHIC, fontSize=9.5, leading=15),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=13),
    }


def render_pass_notice(term: LicenceTerm) -> bytes:
    register_fonts()
    st = _styles()
    licence = term.licence
    company = licence.organisation.name
    body = licence.reception_body
    verify_url = f"{settings.SITE_URL}/licences/{licence.number}/"
    kind = KIND_JA.get(term.kind, "")
    renewal = term.kind == TermKind.RENEWAL
    conf = scheme_settings.settings()

    story: list[Flowable] = [
        Paragraph(f"通知日：{ja_date(term.notice_date)}", st["right"]),
        Spacer(1, 6 * mm),
        Paragraph(f"{escape(company)}　御中", st["addressee"]),
        Spacer(1, 4 * mm),
        Paragraph(COUNCIL_JA, st["right"]),
        Paragraph("審査委員会", st["right"]),
        Spacer(1, 12 * mm),
        Paragraph("合格通知書", st["title"]),
        Spacer(1, 8 * mm),
        Paragraph(
            "貴社より申請のありました下記のサービスについて、"
            f"{'更新審査' if renewal else '審査'}の結果、合格と決定しましたので通知いたします。"
            "あわせて、インターネット接続サービス安全・安心マークの使用を下記のとおり許諾します。",
            st["body"],
        ),
        Spacer(1, 6 * mm),
        Paragraph("記", st["center"]),
        Spacer(1, 4 * mm),
    ]
    rows = [
        ("会社名", company),
        ("サービス名", licence.service_name),
        ("マーク使用許諾管理番号", licence.number),
        ("制度の版", SCHEME_JA.get(licence.scheme, licence.scheme)),
        ("審査の種別", kind),
        ("審査委員会の承認日", ja_date(term.approved_on)),
        ("有効期間", f"{ja_date(term.valid_from)} から {ja_date(term.valid_until)} まで"),
        ("受付団体", body.name if body else ""),
        (
            "本通知の受領日" if term.receipt_confirmed_on else "本通知の受領日（みなし）",
            ja_date(term.notice_received_on),
        ),
        ("確認ページ", verify_url),
    ]
    table = Table(
        [[Paragraph(k, st["label"]), Paragraph(escape(v), st["cell"])] for k, v in rows],
        colWidths=[52 * mm, 110 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                *grid_style(shaded="column"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 6 * mm),
        Paragraph(
            # Issue 9.9: the receipt date is the day the holder confirms it; the deemed date is
            # only the fallback.
            f"1. 本通知の受領日は{ja_date(term.notice_received_on)}（受領確認による）です。"
            "マーク年間使用料金の支払期限は、この日から起算して1か月以内です。"
            if term.receipt_confirmed_on
            else "1. 本通知を受け取った日に、本サイトのライセンスのページで受領を確認してください。"
            "マーク年間使用料金の支払期限は、その日から起算して1か月以内です。確認がない場合は"
            f"{ja_date(term.notice_received_on)}に受領したものとみなします。",
            st["small"],
        ),
        Paragraph(
            "2. マークは、当協議会のウェブ認証保証システムから配信されるタグにより貴社ウェブサイトに"
            "掲載してください。マークをクリックすると上記の確認ページが表示されます。"
            "マークの画像を複製して掲載することはできません。",
            st["small"],
        ),
        Paragraph(
            f"3. 有効期間の満了日の{conf.deadline_days_before_expiry}日前までに"
            "更新審査を申請してください。"
            "セキュリティ障害による役務の停止または個人情報の漏えいが発生した場合は、"
            "速やかに審査委員会へ報告してください。",
            st["small"],
        ),
        Spacer(1, 8 * mm),
        Paragraph("以上", st["right"]),
    ]
    return build_pdf(
        story,
        margins=(22 * mm, 20 * mm),
        title=f"合格通知書 {licence.number}",
        author=COUNCIL_JA,
        subject=licence.service_name,
    )
