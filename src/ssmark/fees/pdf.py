"""The invoice as a PDF, in Japanese (with English labels): a qualified invoice (適格請求書).

It shows what the qualified-invoice rules require: the issuer's name and registration number,
the transaction date, the items, the amount per tax rate and the consumption tax per rate, and
the totals; plus the addressee, number, issue and due dates. A credit note is a 適格返還請求書
referring to the invoice it cancels. Fonts and page set-up: `ssmark.core.pdf`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from xml.sax.saxutils import escape as esc

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ssmark.core.pdf import GOTHIC, MINCHO, build_pdf, grid_style, ja_date, register_fonts

from .models import Invoice


def yen(amount: int) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,}"


def _rate(value: str) -> str:
    rate = Decimal(value)
    return f"{rate.normalize():f}%"


def _lines(text: str) -> str:
    """Several lines of plain text as one paragraph (escaped, line breaks kept)."""
    return "<br/>".join(esc(line) for line in text.strip().splitlines())


def _date(day: datetime.date | None) -> str:
    return "—" if day is None else ja_date(day)


def title_for(invoice: Invoice) -> tuple[str, str]:
    if invoice.is_credit_note:
        return (
            ("適格返還請求書", "Credit note")
            if invoice.is_qualified
            else ("返還請求書", "Credit note")
        )
    return ("適格請求書", "Qualified invoice") if invoice.is_qualified else ("請求書", "Invoice")


def render_invoice(invoice: Invoice) -> bytes:
    register_fonts()
    base = ParagraphStyle("base", fontName=GOTHIC, fontSize=9.5, leading=14)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=colors.grey)
    title = ParagraphStyle("title", parent=base, fontSize=20, leading=26, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    big = ParagraphStyle("big", parent=base, fontName=MINCHO, fontSize=14, leading=20)
    ja_title, en_title = title_for(invoice)

    story: list[object] = [
        Paragraph(ja_title, title),
        Paragraph(en_title, ParagraphStyle("sub", parent=small, alignment=TA_CENTER)),
        Spacer(1, 6 * mm),
    ]

    meta = [
        ["番号 / No." if invoice.is_credit_note else "請求書番号 / No.", invoice.number],
        ["発行日 / Issued", _date(invoice.issued_on)],
        ["取引年月日 / Transaction date", _date(invoice.transaction_date)],
    ]
    if not invoice.is_credit_note:
        meta.append(["お支払期限 / Due", _date(invoice.due_on)])
    elif invoice.corrects is not None:
        meta.append(["対象請求書 / Cancels", invoice.corrects.number])
    meta_table = Table(meta, colWidths=[44 * mm, 38 * mm])
    meta_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), GOTHIC, 8.5),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.grey),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ]
        )
    )
    addressee = [
        Paragraph(f"{esc(invoice.addressee_name)}　御中", big),
        Paragraph(esc(invoice.addressee_address or ""), base),
    ]
    issuer_lines = [
        Paragraph(esc(invoice.issuer_name), base),
        Paragraph(esc(invoice.issuer_address or ""), small),
        Paragraph(
            f"登録番号 / Registration No.: {invoice.issuer_registration_number or '—'}", base
        ),
    ]
    if invoice.issuer_contact:
        issuer_lines.append(Paragraph(_lines(invoice.issuer_contact), small))
    head = Table(
        [[addressee, meta_table], ["", issuer_lines]],
        colWidths=[92 * mm, 82 * mm],
    )
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [head, Spacer(1, 6 * mm)]

    lead = (
        "下記のとおり返還いたします。"
        if invoice.is_credit_note
        else "下記のとおりご請求申し上げます。"
    )
    story.append(Paragraph(lead, base))
    label = "返還金額（税込）" if invoice.is_credit_note else "ご請求金額（税込）"
    total_box = Table(
        [
            [f"{label} / Total", yen(invoice.total)],
            ["（うち消費税 / of which consumption tax）", yen(invoice.tax_total)],
        ],
        colWidths=[70 * mm, 40 * mm],
    )
    total_box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), GOTHIC, 12),
                ("FONT", (0, 1), (-1, 1), GOTHIC, 8.5),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, colors.black),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ]
        )
    )
    story += [Spacer(1, 2 * mm), total_box, Spacer(1, 6 * mm)]

    basis = "税込" if invoice.amounts_include_tax else "税抜"
    rows: list[list[object]] = [
        ["品目 / Description", "数量", f"単価（{basis}）", f"金額（{basis}）", "税率"]
    ]
    for line in invoice.lines:
        rows.append(
            [
                Paragraph(f"{esc(line['description'])}<br/>{esc(line['description_en'])}", base),
                str(line["quantity"]),
                yen(int(line["unit_price"])),
                yen(int(line["amount"])),
                _rate(line["tax_rate"]),
            ]
        )
    items = Table(rows, colWidths=[78 * mm, 14 * mm, 28 * mm, 32 * mm, 22 * mm], repeatRows=1)
    items.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), GOTHIC, 9),
                *grid_style(shaded="row"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [items, Spacer(1, 5 * mm)]

    summary: list[list[object]] = [
        ["税率区分 / Rate", "対象金額（税抜）", "消費税額", "対象金額（税込）"]
    ]
    for entry in invoice.tax_summary:
        summary.append(
            [
                f"{_rate(entry['rate'])}対象",
                yen(int(entry["base"])),
                yen(int(entry["tax"])),
                yen(int(entry["total"])),
            ]
        )
    summary += [
        ["小計（税抜） / Subtotal", yen(invoice.subtotal), "", ""],
        ["消費税合計 / Consumption tax", yen(invoice.tax_total), "", ""],
        ["合計（税込） / Total", yen(invoice.total), "", ""],
    ]
    tax_table = Table(summary, colWidths=[56 * mm, 40 * mm, 38 * mm, 40 * mm])
    last = len(summary) - 1
    tax_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), GOTHIC, 9),
                *grid_style(shaded="row", end=(-1, last - 3)),
                ("LINEABOVE", (0, last - 2), (1, last - 2), 0.8, colors.black),
                ("LINEBELOW", (0, last), (1, last), 1.2, colors.black),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    story += [tax_table, Spacer(1, 6 * mm)]

    if invoice.payment_details and not invoice.is_credit_note:
        bank = Table(
            [["お振込先 / Bank transfer", Paragraph(_lines(invoice.payment_details), base)]],
            colWidths=[44 * mm, 130 * mm],
        )
        bank.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (0, 0), GOTHIC, 9),
                    *grid_style(shaded="column"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story += [bank, Spacer(1, 2 * mm)]
        story.append(
            Paragraph("振込手数料はご負担ください。/ Bank charges are borne by the payer.", small)
        )
        story.append(Spacer(1, 4 * mm))

    notes = [
        "消費税額は税率ごとに合計した金額から1回だけ計算し、1円未満を切り捨てています。",
        "Consumption tax is computed once per tax rate on the total for that rate, truncated.",
    ]
    if invoice.note:
        notes.append(f"備考 / Note: {esc(invoice.note)}")
    if not invoice.is_qualified:
        notes.append("発行者の登録番号が未設定のため、適格請求書ではありません。")
    for text in notes:
        story.append(Paragraph(text, small))
    story += [
        Spacer(1, 8 * mm),
        Paragraph("インターネット接続サービス安全・安心マーク", right),
    ]
    return build_pdf(
        story,
        margins=(18 * mm, 16 * mm),
        title=f"{ja_title} {invoice.number}",
        author=invoice.issuer_name,
    )
