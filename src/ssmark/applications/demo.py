"""Demo applications, made through the services (so the trail, events and files are real).

- alice (サンプルネット株式会社): a partly filled draft, a complete draft ready to submit, and
  an application submitted to JAIPA.
- carol (みなとISP株式会社): an application submitted to JAIPA, and a partly filled draft to
  TELESA.
Idempotent: an application is found by its company and service name and left alone.
"""

from __future__ import annotations

import datetime
import io
import json
from typing import Any, TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from ssmark import criteria
from ssmark.accounts.models import Organisation, User
from ssmark.catalog.services import current_set, get_criteria_set
from ssmark.core import clock

from . import assessment, services
from .models import Application

# How each item is met, in the applicant's words (the seed's ISP criteria, by item code).
EXPLANATIONS: dict[str, str] = {
    "1-1-1": "「情報セキュリティ基本方針」および「情報セキュリティ管理規程」に、基本方針と適用範囲、"
    "組織体制、重要情報の保護（機器廃棄時のデータ消去を含む）、評価と見直し、法令遵守、運用と教育を定めています。",
    "1-1-2": "毎年6月に内部監査室が、9月に外部監査法人がポリシーに基づく監査を実施しています。監査報告書を添付します。",
    "1-1-3": "管理規程第12条に年1回の見直しを定め、2026年4月の情報セキュリティ委員会で見直しを行いました。",
    "1-1-4": "基本方針は2026年4月1日付で代表取締役の承認を得ています（取締役会議事録に記載）。",
    "1-2-1": "全従業員に年2回のセキュリティ研修と四半期ごとの標的型メール訓練を実施しています。",
    "2-1-1": "主要なDNS・メール・Web・認証サーバーとルーターについて、申請日前3か月以内に脆弱性診断を実施しました。",
    "2-1-2": "データセンターへの入館はICカードと生体認証で制御し、入館権限は設備管理責任者が承認した者に限定しています。",
    "2-1-3": "管理者権限は踏み台サーバー経由に限定し、権限付与は申請・承認制で四半期ごとに棚卸ししています。",
    "2-2-1": "年1回の外部診断と月次の設定レビューを行い、結果をセキュリティ委員会に報告しています。",
    "2-3-1": "「システム保守管理基準」に設置環境の変更、機器・ソフトウェアの導入・変更、バックアップ作業の手順を定めています。",
    "2-3-2": "作業は変更管理票で申請・承認のうえ実施し、作業記録を保管しています。",
    "3-1-1": "「障害対応連絡体制表」に、一次対応者から役員までの連絡経路と連絡手段を定めています。",
    "3-1-2": "障害対応責任者としてネットワーク運用部長を任命しています。",
    "3-1-3": "基幹機器設置場所にはガス系消火設備と煙感知器を設置し、年2回点検しています。",
    "3-1-4": "基幹機器は建物3階以上の二重床上に設置し、水害の影響を受けない構造です。",
    "3-1-5": "顧客のアカウント管理情報・課金情報および顧客データを毎日バックアップしています。",
    "3-1-6": "「バックアップ復旧手順書」に復旧手順を定め、年1回復旧訓練を実施しています。",
    "3-1-7": "バックアップは暗号化して、基幹システムから約300km離れた遠隔地のデータセンターに保管しています。",
    "3-1-8": "UPSと自家発電設備（72時間分の燃料）により停電時の電源を確保しています。",
    "3-2-1": "「障害対策マニュアル」に障害の種類ごとの初動対応と復旧手順を定めています。",
    "3-3-1": "障害発生時は障害情報ページで内容と障害時間を告知し、復旧後に報告を掲載しています。",
    "3-3-2": "障害アナウンスの責任者としてカスタマーサポート部長を定めています。",
    "4-1-1": "契約時に契約約款を書面（または会員の希望によりPDF）で提供しています。",
    "4-1-2": "申込みページから契約約款を閲覧でき、同意のうえで申し込む手順にしています。",
    "4-1-3": "契約約款と会員規程を常時Webサイトで公開しています。",
    "4-2-1": "広告には料金・通信速度（ベストエフォート）・最低利用期間を明記し、申込画面でコースを明確に選択できます。",
    "4-2-2": "退会の方法と手続きを会員規程とWebサイトのよくある質問に記載しています。",
    "4-2-3": "会員規程第15条に禁止行為を、第16条に違反者への措置を明記しています。",
    "4-3-1": "会員専用ページからコース変更をいつでも行えます。",
    "4-3-2": "変更手続きの画面と確認メールに変更適用日を明示しています。",
    "4-4-1": "重要な約款・料金の変更は、30日以上前にWebサイトとメールで会員に周知しています。",
    "5-1-1": "サポート窓口は電話・FAX・メール・Webフォームで受け付けています。",
    "5-1-2": "通常時の呼量に対して十分な回線数（40回線）とオペレーター体制を確保しています。",
    "5-1-3": "ユーザー対応の業務フローと対応マニュアルを整備し、四半期ごとに更新しています。",
    "5-1-4": "サポート専用のフリーダイヤルを代表電話とは別に設けています。",
    "5-1-5": "問い合わせ履歴は顧客管理システムに記録し、5年間保存しています。",
    "5-2-1": "計画メンテナンスによるサービス停止は7日前までにWebサイトとメールで予告しています。",
    "6-1-1": "会員向けページで、クレジットカード番号やパスワードの管理、詐欺への注意、ウイルス対策、常時接続時の注意を案内しています。",
    "6-2-1": "最新のウイルス情報を会員向けページとメールマガジンで発信しています。",
    "6-2-2": "最新のインターネットセキュリティ情報を会員向けページで随時発信しています。",
    "7-0-1": "主務大臣から個人情報の取扱いに関する改善命令を受けたことはありません。",
    "7-1-1": "アクセス権限者を限定し、異動・退職時は当日中に権限を削除しています。アクセスログは週次で監視し、個人情報を扱う室への入退室は記録しています。",
    "7-1-2": "業務端末では外部記憶媒体への書き込みを禁止し、メール添付による持ち出しは上長承認制としています。",
    "7-1-3": "個人情報を保存するサーバーはファイアウォールで隔離し、外部からのアクセスを遮断しています。",
    "7-2-1": "個人情報保護管理者として管理部長を任命しています。",
    "7-2-2": "「個人情報保護規程」に取得の制限・適正な取得・利用目的の特定・従業者と委託先の監督などを定めています。",
    "7-3": "役員・正社員・契約社員・派遣社員を含む全従業者に年1回の個人情報保護研修を実施しています。",
    "7-4-1": "プライバシーポリシーを策定し、Webサイトで公表しています。",
    "7-5-1": "個人情報に関する苦情処理手順を定め、お客様相談窓口で受け付けています。",
    "7-5-2": "開示請求の手続きを定め、手続きの方法をWebサイトで公表しています。",
    "7-6-1": "漏えい発生時に本人へ速やかに通知する手順を「個人情報漏えい対応手順書」に定めています。",
    "7-6-2": "漏えい発生時には二次被害防止のため、事実関係等を可能な限り公表する手順を定めています。",
    "7-6-3": "漏えい発生時に総務省へ報告する手順と担当者を定めています。",
}

DOCUMENT_TITLES: dict[str, str] = {
    "1-1-1": "情報セキュリティ基本方針",
    "2-3-1": "システム保守管理基準",
    "3-1-1": "障害対応連絡体制表",
    "3-1-6": "バックアップ復旧手順書",
    "3-2-1": "障害対策マニュアル",
    "4-1-1": "契約約款",
    "7-2-2": "個人情報保護規程",
    "7-6-1": "個人情報漏えい対応手順書",
}

WEB_PAGES: dict[str, str] = {
    "3-3-1": "/support/outage/",
    "4-1-2": "/join/",
    "4-1-3": "/terms/",
    "4-2-1": "/service/",
    "4-2-2": "/support/cancel/",
    "4-2-3": "/terms/#prohibited",
    "4-3-1": "/mypage/",
    "4-3-2": "/support/change/",
    "5-1-1": "/support/contact/",
    "5-1-4": "/support/contact/#phone",
    "5-2-1": "/support/maintenance/",
    "6-1-1": "/security/basics/",
    "6-2-1": "/security/virus/",
    "6-2-2": "/security/news/",
    "7-4-1": "/privacy/",
    "7-5-2": "/privacy/disclosure/",
}

HOSTS = {
    "dns": "192.0.2.53",
    "mail": "192.0.2.25",
    "web": "192.0.2.80",
    "auth": "192.0.2.18",
    "router": "192.0.2.1",
}


def _pdf(title: str, company: str) -> bytes:
    """A one-page PDF with a Japanese title (reportlab, CID font named, not embedded)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ssmark.core.pdf import GOTHIC, register_fonts

    register_fonts()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setTitle(title)
    pdf.setFont(GOTHIC, 20)
    pdf.drawString(72, 760, title)
    pdf.setFont(GOTHIC, 11)
    pdf.drawString(72, 730, company)
    pdf.drawString(72, 712, "（デモ用の書類です）")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _scan_report(when: datetime.datetime, warning: bool) -> bytes:
    lines = []
    for role, ip in HOSTS.items():
        lines.append(
            {
                "template-id": f"{role}-service-detect",
                "info": {"name": f"{role} service detected"},
                "host": ip,
                "ip": ip,
                "port": "443",
                "type": "http",
                "timestamp": when.isoformat(),
            }
        )
    if warning:
        lines.append(
            {
                "template-id": "weak-cipher-suites",
                "info": {
                    "name": "TLS weak cipher suites",
                    "classification": {
                        "cvss-metrics": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
                        "cvss-score": 5.9,
                    },
                },
                "host": HOSTS["mail"],
                "ip": HOSTS["mail"],
                "port": "443",
                "type": "http",
                "timestamp": when.isoformat(),
            }
        )
    return ("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n").encode()


def _file(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _answer(
    app: Application, user: User, item: criteria.Item, *, met: bool = True, grade: int = 4
) -> None:
    kind = item.kind_for(app.review_type)
    explanation = EXPLANATIONS.get(item.code, "")
    if kind is criteria.Kind.GRADED:
        services.save_answer(
            actor=user,
            application=app,
            item_code=item.code,
            # Items graded at review get only the description; the reviewer grades them.
            grade=None if item.graded_at_review else grade,
            explanation=explanation,
        )
    else:
        services.save_answer(
            actor=user,
            application=app,
            item_code=item.code,
            claim="met" if met else "unmet",
            explanation=explanation,
        )


def _evidence(app: Application, user: User, item: criteria.Item, site: str, company: str) -> None:
    kinds = {str(k) for k in item.evidence}
    if kinds & {"DOC", "DOC+WEB"} or (kinds == {"DOC/WEB"} and item.code not in WEB_PAGES):
        title = DOCUMENT_TITLES.get(item.code, f"{item.code} 関連規程")
        services.add_file_evidence(
            actor=user,
            application=app,
            item_code=item.code,
            upload=_file(f"{title}.pdf", _pdf(title, company)),
        )
    if kinds & {"WEB", "DOC/WEB", "DOC+WEB"} and item.code in WEB_PAGES:
        services.add_url_evidence(
            actor=user, application=app, item_code=item.code, url=site + WEB_PAGES[item.code]
        )
    if kinds & {"SIGNED", "PIM-SIGNED", "PIM-SIGNED-BY"}:
        pim = bool(kinds & {"PIM-SIGNED", "PIM-SIGNED-BY"})
        services.add_signed_declaration(
            actor=user,
            application=app,
            item_code=item.code,
            signer_name=app.pim_manager if pim else app.responsible_manager,
            signed_on=clock.today() - datetime.timedelta(days=7),
            statement=EXPLANATIONS.get(item.code, "") + " 上記のとおり相違ないことを宣誓します。",
            upload=_file(f"宣誓書_{item.code}.pdf", _pdf(f"宣誓書（項目 {item.code}）", company)),
        )


def _scan_and_audits(app: Application, user: User, company: str) -> None:
    today = clock.today()
    when = datetime.datetime.combine(
        today - datetime.timedelta(days=14), datetime.time(10, 0), tzinfo=clock.TOKYO
    )
    services.upload_scan_report(
        actor=user, application=app, upload=_file("vuln-scan.jsonl", _scan_report(when, True))
    )
    services.set_host_roles(
        actor=user, application=app, roles={ip: [role] for role, ip in HOSTS.items()}
    )
    app.refresh_from_db()
    for finding in assessment.scan_gate(app).needs_statement:
        services.add_finding_statement(
            actor=user,
            application=app,
            host=str(finding["host"]),
            port=str(finding["port"]),
            check_name=str(finding["check"]),
            statement="当該暗号スイートは旧型端末向け互換のため残していますが、メール送受信はTLS1.2以上を"
            "優先し、次回メンテナンス（翌月）で無効化する計画です。影響を検討のうえ許容と判断しました。",
            signer_name=app.responsible_manager,
        )
    codes = sorted(assessment.security_audit_item_codes(app))
    services.record_audit(
        actor=user,
        application=app,
        audited_on=today - datetime.timedelta(days=150),
        auditor="内部監査室",
        auditor_kind="internal",
        covered=[c for c in codes if not c.startswith("A7")],
        upload=_file("内部監査報告書.pdf", _pdf("内部監査報告書", company)),
    )
    services.record_audit(
        actor=user,
        application=app,
        audited_on=today - datetime.timedelta(days=60),
        auditor="さくら監査法人",
        auditor_kind="external",
        covered=[c for c in codes if c.startswith(("A3", "A7"))],
        upload=_file("外部監査報告書.pdf", _pdf("外部監査報告書", company)),
    )


def _complete(app: Application, user: User, site: str) -> None:
    cs = get_criteria_set(app.criteria_set)
    company = app.organisation.name
    _scan_and_audits(app, user, company)
    for item in cs.items:
        _answer(app, user, item)
        _evidence(app, user, item, site, company)


def _partial(app: Application, user: User, site: str, upto_category: str) -> None:
    cs = get_criteria_set(app.criteria_set)
    company = app.organisation.name
    for category in cs.categories:
        if category.code > upto_category:
            break
        for index, item in enumerate(category.items):
            if item.kind_for(app.review_type) is criteria.Kind.MANDATORY or index % 3 != 2:
                if {"SCAN", "AUDIT"} & {str(k) for k in item.evidence}:
                    continue  # no diagnosis and no audits yet (cannot be claimed met)
                _answer(app, user, item, met=index % 5 != 4)
                if index % 2 == 0:
                    _evidence(app, user, item, site, company)


DEMOS: list[dict[str, Any]] = [
    {
        "user": "alice",
        "service": "サンプルネット光",
        "body": "JAIPA",
        "site": "https://www.sample-net.example",
        "managers": (
            "山田 太郎",
            "yamada@sample-net.example",
            "佐藤 花子",
            "sato@sample-net.example",
        ),
        "fill": "partial",
        "upto": "3",
    },
    {
        "user": "alice",
        "service": "サンプルネット モバイルWi-Fi接続",
        "body": "JAIPA",
        "site": "https://mobile.sample-net.example",
        "managers": (
            "山田 太郎",
            "yamada@sample-net.example",
            "佐藤 花子",
            "sato@sample-net.example",
        ),
        "fill": "complete",
    },
    {
        "user": "alice",
        "service": "サンプルネット ビジネス光",
        "body": "JAIPA",
        "site": "https://biz.sample-net.example",
        "managers": (
            "山田 太郎",
            "yamada@sample-net.example",
            "佐藤 花子",
            "sato@sample-net.example",
        ),
        "fill": "submitted",
    },
    {
        "user": "carol",
        "service": "みなとISP 光インターネット",
        "body": "JAIPA",
        "site": "https://www.minato-isp.example",
        "managers": (
            "港 一郎",
            "minato@minato-isp.example",
            "海野 明美",
            "unno@minato-isp.example",
        ),
        "fill": "submitted",
    },
    {
        "user": "carol",
        "service": "みなとISP ケーブル接続",
        "body": "TELESA",
        "site": "https://cable.minato-isp.example",
        "managers": (
            "港 一郎",
            "minato@minato-isp.example",
            "海野 明美",
            "unno@minato-isp.example",
        ),
        "fill": "partial",
        "upto": "2",
    },
]


def load(out: TextIO) -> None:
    made = 0
    for spec in DEMOS:
        user = User.objects.filter(username=spec["user"]).first()
        body = Organisation.objects.filter(code=spec["body"]).first()
        if user is None or body is None or user.organisation is None:
            out.write(f"applications demo: {spec['user']} or {spec['body']} missing, skipped\n")
            continue
        if Application.objects.filter(
            organisation=user.organisation, service_name=spec["service"]
        ).exists():
            continue
        if current_set("isp", clock.today()) is None:
            out.write("applications demo: no criteria set loaded, skipped\n")
            return
        with transaction.atomic():
            rm, rm_mail, pim, pim_mail = spec["managers"]
            app = services.create_application(
                actor=user,
                service_name=spec["service"],
                reception_body=body,
                responsible_manager=rm,
                responsible_manager_email=rm_mail,
                pim_manager=pim,
                pim_manager_email=pim_mail,
            )
            if spec["fill"] == "partial":
                _partial(app, user, spec["site"], spec["upto"])
            else:
                _complete(app, user, spec["site"])
                services.declare_no_incidents(actor=user, application=app)
                if spec["fill"] == "submitted":
                    from ssmark.fees.demo import pay_review_fee_before_submission

                    pay_review_fee_before_submission(app, user)
                    services.submit(actor=user, application=app)
        made += 1
    out.write(
        f"applications demo: {made} new, "
        f"{Application.objects.filter(service_name__in=[d['service'] for d in DEMOS]).count()} "
        "demo applications in all\n"
    )
