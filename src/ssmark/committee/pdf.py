"""The session's agenda (議事次第) and minutes (議事録) as PDF, in Japanese.

Gothic for headings, Mincho for the body (embedded IPAex fonts); fonts and page set-up:
`ssmark.core.pdf`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ssmark.accounts.models import User
from ssmark.catalog.models import ReviewType
from ssmark.core.pdf import GOTHIC, MINCHO, build_pdf, grid_style, ja_date, register_fonts

from .models import AgendaDecision, AgendaItem, Session, SessionStatus

SCHEME_TITLE = "インターネット接続サービス安全・安心マーク"
COMMITTEE = "審査委員会"
DECISION_JA = {
    AgendaDecision.APPROVED: "承認（合格）",
    AgendaDecision.REJECTED: "不承認",
    AgendaDecision.DEFERRED: "継続審議（次回へ）",
    "": "未決定",
}
REVIEW_TYPE_JA = {ReviewType.NEW: "新規", ReviewType.RENEWAL: "更新"}
# The minutes and agenda keep their own table colours (darker rules than the invoice's).
RULE = colors.HexColor("#888888")
SHADE = colors.HexColor("#e8ecf2")


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=MINCHO, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=GOTHIC,
            fontSize=16,
            leading=24,
            alignment=1,
            spaceAfter=4,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontName=GOTHIC, fontSize=11, alignment=1, spaceAfter=10
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=GOTHIC,
            fontSize=12,
            leading=18,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=13),
        "cellhead": ParagraphStyle(
            "cellhead", parent=body, fontName=GOTHIC, fontSize=9.5, leading=13
        ),
        "note": ParagraphStyle(
            "note", parent=body, fontSize=9, leading=13, textColor=colors.HexColor("#444444")
        ),
    }


def _name(user: User | None) -> str:
    return "" if user is None else str(user.display_name)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _when_where(session: Session, s: dict[str, ParagraphStyle]) -> list[Any]:
    time = f" {session.start_time:%H:%M}〜" if session.start_time else ""
    place = session.place
    if session.online:
        place = f"{place}（オンライン併用）" if place else "オンライン開催"
    rows = [
        [_p("日時", s["cellhead"]), _p(ja_date(session.date, weekday=True) + time, s["cell"])],
        [_p("場所", s["cellhead"]), _p(place, s["cell"])],
    ]
    return [_table(rows, [30 * mm, 140 * mm], header=False)]


def _members(session: Session) -> list[str]:
    names = []
    chair = session.chair
    members = list(session.members.order_by("last_name", "first_name", "username"))
    if chair is not None:
        names.append(f"{_name(chair)}（委員長）")
    names += [_name(m) for m in members if chair is None or m.pk != chair.pk]
    return names


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], header: bool = True) -> Table:
    table = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0)
    style = [
        *grid_style(shaded="row" if header else "column", rule=RULE, shade=SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    table.setStyle(TableStyle(style))
    return table


def _items(session: Session) -> list[AgendaItem]:
    return list(
        session.items.select_related(
            "application__organisation", "application__reception_body", "carried_from__session"
        )
        .prefetch_related("members_present")
        .order_by("position", "id")
    )


def _build(story: list[Any], title: str) -> bytes:
    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(MINCHO, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{title} — {document.page}")
        canvas.restoreState()

    return build_pdf(
        story,
        margins=(20 * mm, 18 * mm),
        title=title,
        author=f"{SCHEME_TITLE}推進協議会",
        subject=title,
        on_page=footer,
    )


def _review_type(value: str) -> str:
    return REVIEW_TYPE_JA.get(ReviewType(value), value) if value in ReviewType.values else value


def _application_cells(item: AgendaItem, s: dict[str, ParagraphStyle]) -> list[Paragraph]:
    app = item.application
    kind = _review_type(app.review_type)
    carried = ""
    if item.carried_from_id and item.carried_from is not None:
        carried = f"\n（{ja_date(item.carried_from.session.date, weekday=True)}の委員会から継続）"
    return [
        _p(str(item.position), s["cell"]),
        _p(f"{app.organisation.name}\n{app.service_name}{carried}", s["cell"]),
        _p(kind, s["cell"]),
        _p(app.reception_body.code or app.reception_body.name, s["cell"]),
    ]


def agenda_pdf(session: Session) -> bytes:
    """議事次第: date, place, members expected, and the applications for the second review."""
    s = _styles()
    title = f"{COMMITTEE} 議事次第"
    story: list[Any] = [
        _p(SCHEME_TITLE, s["subtitle"]),
        _p(title, s["title"]),
        *_when_where(session, s),
        _p("出席委員", s["heading"]),
        _p("、".join(_members(session)) or "（未定）", s["body"]),
        _p("議事", s["heading"]),
        _p("1．開会", s["body"]),
        _p("2．二次審査（一次審査に合格した申請の審議）", s["body"]),
    ]
    items = _items(session)
    if items:
        rows: list[list[Any]] = [
            [_p(h, s["cellhead"]) for h in ("No.", "申請者・サービス名", "審査種別", "受付団体")]
        ]
        rows += [_application_cells(item, s) for item in items]
        story += [Spacer(1, 2 * mm), _table(rows, [12 * mm, 110 * mm, 20 * mm, 28 * mm])]
    else:
        story.append(_p("（審議案件なし）", s["body"]))
    story += [
        Spacer(1, 2 * mm),
        _p("3．その他", s["body"]),
        _p("4．閉会", s["body"]),
    ]
    if session.notes:
        story += [_p("備考", s["heading"]), _p(session.notes, s["body"])]
    return _build(story, title)


def minutes_pdf(session: Session) -> bytes:
    """議事録: date, place, members present, and each application's decision and reasons."""
    s = _styles()
    title = f"{COMMITTEE} 議事録"
    story: list[Any] = [_p(SCHEME_TITLE, s["subtitle"]), _p(title, s["title"])]
    if session.status != SessionStatus.CLOSED:
        story.append(_p("（案：審議中のため未確定）", s["subtitle"]))
    story += [
        *_when_where(session, s),
        _p("出席委員", s["heading"]),
        _p("、".join(_members(session)) or "（記録なし）", s["body"]),
        _p("審議結果", s["heading"]),
    ]
    items = _items(session)
    if not items:
        story.append(_p("（審議案件なし）", s["body"]))
    for item in items:
        app = item.application
        present = "、".join(
            _name(m)
            for m in sorted(
                item.members_present.all(), key=lambda u: (u.last_name, u.first_name, u.username)
            )
        )
        rows = [
            [_p("申請者", s["cellhead"]), _p(app.organisation.name, s["cell"])],
            [_p("サービス名", s["cellhead"]), _p(app.service_name, s["cell"])],
            [
                _p("審査種別・受付団体", s["cellhead"]),
                _p(f"{_review_type(app.review_type)}・{app.reception_body.name}", s["cell"]),
            ],
            [
                _p("決定", s["cellhead"]),
                _p(DECISION_JA.get(item.decision, item.decision), s["cellhead"]),
            ],
            [_p("理由", s["cellhead"]), _p(item.reasons or "—", s["cell"])],
            [_p("決定時の出席委員", s["cellhead"]), _p(present or "—", s["cell"])],
        ]
        story += [
            _p(f"案件{item.position}", s["cellhead"]),
            Spacer(1, 1 * mm),
            _table(rows, [38 * mm, 132 * mm], header=False),
            Spacer(1, 4 * mm),
        ]
    counts = {d: sum(1 for i in items if i.decision == d) for d in AgendaDecision.values}
    story.append(
        _p(
            f"以上、承認{counts['approved']}件、不承認{counts['rejected']}件、"
            f"継続審議{counts['deferred']}件。",
            s["body"],
        )
    )
    if session.closed_at:
        closed = timezone.localtime(session.closed_at)
        story.append(_p(f"閉会 {closed:%Y-%m-%d %H:%M}", s["note"]))
    return _build(story, title)
