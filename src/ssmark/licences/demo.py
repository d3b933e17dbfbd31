"""Demo registry: the 112 services listed in seed 002 (安全・安心マーク取得サービス一覧, "in
mark usage licence number order"), loaded as licences numbered 0001–0112 in the seed's order.

What the seed does not say is made up deterministically (docs/licences.md):
- the reception body (the number's letter): No. n gets J if n % 3 == 0, T if n % 3 == 1,
  D if n % 3 == 2 (so the scheme's example number J0072 comes out as J0072);
- the date first licensed: spread evenly from 2002-10-01 (the ISP version started in 2002) to
  2021-03-01 in number order;
- the current validity period: renewed on time ever since, so the period containing today
  (some licences are therefore in their renewal window, and some past the deadline).
Companies become applicant organisations (matched by name; a company with two services,
e.g. 株式会社TOKAIコミュニケーションズ, is one organisation).

Idempotent: a licence whose number exists is left as it is (so a demo revocation persists).
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction

from ssmark.accounts.models import Organisation, OrganisationKind
from ssmark.core import clock

from . import demo_notice
from . import scheme as scheme_settings
from .models import Licence, LicenceStatus, make_search_key
from .services import bump_counter_to, create_licence, format_number

LETTER_BY_REMAINDER = {0: "J", 1: "T", 2: "D"}
FIRST_DATE = datetime.date(2002, 10, 1)
LAST_DATE = datetime.date(2021, 3, 1)

# Transcribed from seed 002 (No., サービス名, 会社名), characters exactly as the seed writes
# them (full-width ＠, Ｋ, （）, the half-width ･ in No. 35 …).
SEED_002_SERVICES: tuple[tuple[int, str, str], ...] = (
    (1, "OCN", "エヌ・ティ・ティ・コミュニケーションズ株式会社"),
    (2, "＠nifty（アット・ニフティ）", "ニフティ株式会社"),
    (3, "群馬インターネット", "群馬インターネット株式会社"),
    (4, "北関西ジャパンネット", "近畿コンピュータサービス株式会社"),
    (5, "au one net（エーユーワンネット）", "ＫＤＤＩ株式会社"),
    (6, "TOKAIネットワーククラブ", "株式会社ザ・トーカイ"),
    (7, "ぷらら", "株式会社ＮＴＴぷらら"),
    (8, "TikiTikiインターネット", "株式会社エヌディエス"),
    (9, "SYNAPSE（シナプス）", "株式会社グッドコミュニケーションズ"),
    (10, "So-net", "ソネットエンタテインメント株式会社"),
    (11, "iTSCOM.net", "イッツ・コミュニケーションズ株式会社"),
    (12, "＠T COM（アットティーコム）", "株式会社TOKAIコミュニケーションズ"),
    (13, "三重インターネットサービス", "三重データ通信株式会社"),
    (14, "両毛インターネット", "株式会社サンライズシステムズ"),
    (15, "インターネット高知", "株式会社高知システムズ"),
    (16, "7-dj（セブン・ディ・ジェイ）", "株式会社富士通東北システムズ"),
    (17, "U-netSURF", "ユニアデックス株式会社"),
    (18, "tcp-ip", "株式会社ＴＣＰ"),
    (19, "テレビ鳴門", "株式会社テレビ鳴門"),
    (20, "BIGLOBE", "NECビッグローブ株式会社"),
    (21, "TOKAIコミュニケーションズCATVインターネット", "株式会社TOKAIコミュニケーションズ"),
    (22, "MCNケーブルインターネット", "宮崎ケーブルテレビ株式会社"),
    (23, "ZAQインターネット接続サービス", "株式会社テクノロジーネットワークス"),
    (24, "avis", "株式会社電算"),
    (25, "JANISネットワーク", "株式会社長野県協同電算"),
    (26, "WAKWAK", "株式会社エヌ・ティ・ティ エムイー"),
    (27, "ASAHIネット", "株式会社朝日ネット"),
    (28, "ハイホー", "株式会社ハイホー"),
    (29, "aikis", "株式会社サイバーリンクス"),
    (30, "N-plus", "株式会社グローバルネットコア"),
    (31, "OCTインターネットサービス", "大分ケーブルテレコム株式会社"),
    (32, "UCVネット", "株式会社上田ケーブルビジョン"),
    (33, "ドリーム・トレイン・インターネット", "株式会社ドリーム・トレイン・インターネット"),
    (34, "生協インターネット", "株式会社バーシティウェーブ"),
    (35, "ケイ･オプティコム インターネット接続サービス", "株式会社ケイ・オプティコム"),
    (36, "道新オーロラネット", "株式会社道新メディック"),
    (37, "HITWave", "北陸コンピュータ・サービス株式会社"),
    (38, "かもめインターネット", "株式会社ネットフォレスト"),
    (39, "Tigers-net.com", "アイテック阪神株式会社"),
    (40, "ポテト インターネット接続サービス", "旭川ケーブルテレビ株式会社"),
    (41, "ichan-NET", "株式会社いちはらコミュニティー・ネットワーク・テレビ"),
    (42, "AYU-NET", "厚木伊勢原ケーブルネットワーク株式会社"),
    (43, "incl", "株式会社石川コンピュータ・センター"),
    (44, "EASTCOM-NET", "株式会社イースト・コミュニケーションズ"),
    (45, "CTTネット", "株式会社ケーブルテレビ富山"),
    (46, "コーラルネット", "トナミ運輸株式会社"),
    (47, "ひみHinet", "能越ケーブルネット株式会社"),
    (48, "高岡ケーブルネットワーク", "高岡ケーブルネットワーク株式会社"),
    (49, "TSTNet", "となみ衛星通信テレビ株式会社"),
    (50, "てれくまねっと", "熊谷ケーブルテレビ株式会社"),
    (51, "BAN-net", "ＢＡＮ－ＢＡＮテレビ株式会社"),
    (52, "＠コマネット", "株式会社テレビ小松"),
    (53, "ケーブルインターネットb-net", "ＫＣＶコミュニケーションズ株式会社"),
    (54, "明石ケーブルテレビ", "株式会社明石ケーブルテレビ"),
    (55, "ケーブルワン", "株式会社ケーブルワン"),
    (56, "Kネット", "Ｋビジョン株式会社"),
    (57, "宇都宮ケーブルテレビ", "宇都宮ケーブルテレビ株式会社"),
    (58, "CTYインターネット接続サービス", "株式会社シー・ティー・ワイ"),
    (59, "にらい", "沖縄ケーブルネットワーク株式会社"),
    (60, "出雲ケーブルビジョン インターネット接続サービス", "出雲ケーブルビジョン株式会社"),
    (61, "CC9インターネットサービス", "ケーブルテレビ株式会社"),
    (62, "愛・ネット", "株式会社ふれあいチャンネル"),
    (63, "RUNLANインターネット接続サービス", "株式会社帯広シティーケーブル"),
    (64, "Kブロードインターネット", "株式会社ＫＣＮ京都"),
    (65, "アイタイネット", "ひまわりネットワーク株式会社"),
    (66, "アイ・キャンインターネット", "株式会社アイ・キャン"),
    (67, "CTBインターネットサービス", "シーティービーメディア株式会社"),
    (68, "KCN-Net", "近鉄ケーブルネットワーク株式会社"),
    (69, "いなテレZAQ", "伊那ケーブルテレビジョン株式会社"),
    (70, "NICE TVインターネット接続サービス", "株式会社新川インフォメーションセンター"),
    (71, "t-netインターネット接続サービス", "多摩ケーブルネットワーク株式会社"),
    (72, "ケーブルインターネットサービス NCN＠NetHome", "日本海ケーブルネットワーク株式会社"),
    (73, "C-ableインターネットサービス", "山口ケーブルビジョン株式会社"),
    (74, "ケーブルインターネット 「すこう＠NetHome」", "須高ケーブルテレビ株式会社"),
    (75, "TVK・ZAQインターネット接続サービス", "株式会社テレビ岸和田"),
    (76, "TVK・SCSインターネット接続サービス", "株式会社テレビ岸和田"),
    (77, "Ca-net", "株式会社ひろしまケーブルテレビ"),
    (78, "icvインターネットサービス", "井原放送株式会社"),
    (79, "キビネット接続サービス", "株式会社吉備ケーブルテレビ"),
    (80, "マーブルネット", "山陰ケーブルビジョン株式会社"),
    (81, "MeCha", "株式会社ケーブルネット鈴鹿"),
    (82, "ほたるネット", "矢掛放送株式会社"),
    (83, "Tamatele-net", "玉島テレビ放送株式会社"),
    (84, "らーばんねっとインターネット接続サービス", "株式会社千葉ニュータウンセンター"),
    (85, "ANC-Net", "あづみ野テレビ株式会社"),
    (86, "MINDインターネット接続サービス", "三菱電機情報ネットワーク株式会社"),
    (87, "あさがおネット", "株式会社あさがおテレビ"),
    (88, "TTV-NET", "株式会社多摩テレビ"),
    (89, "JCVネット", "上越ケーブルビジョン株式会社"),
    (90, "ＪＣＮインターネット", "株式会社ＪＣＮコアラ葛飾"),
    (91, "oniNet", "岡山ネットワーク株式会社"),
    (92, "FITWeb", "北電情報システムサービス株式会社"),
    (93, "CNAインターネットサービス", "株式会社秋田ケーブルテレビ"),
    (94, "menet（みねっと）", "株式会社嶺南ケーブルネットワーク"),
    (95, "TVM-Net（ティー・ブイ・エム・ネット）", "株式会社テレビ松本ケーブルビジョン"),
    (96, "HAGINET", "萩ケーブルネットワーク株式会社"),
    (97, "石見ケーブルビジョン", "石見ケーブルビジョン株式会社"),
    (98, "MCATインターネット", "三原テレビ放送株式会社"),
    (99, "Chukaiインターネット", "株式会社中海テレビ放送"),
    (100, "丹南つうしんネット", "丹南ケーブルテレビ株式会社"),
    (101, "NET296", "広域高速ネット二九六"),
    (
        102,
        "共立コンピューターインターネットサービス（OKBNET）",
        "共立コンピューターサービス株式会社",
    ),
    (103, "MMネットインターネット", "美方ケーブルネットワーク株式会社"),
    (104, "イーネット", "株式会社愛媛CATV"),
    (105, "K-CAT・ZAQインターネット接続サービス", "株式会社ケイ・キャット"),
    (106, "GMOとくとくBB", "GMOインターネット株式会社"),
    (107, "ccsnetサービス", "株式会社シティーケーブル周南"),
    (108, "いわみインターネット", "株式会社マイメディア"),
    (109, "IC-NET", "株式会社IC-NET"),
    (110, "Baycom WiMAX", "株式会社ベイ・コミュニケーションズ"),
    (111, "CANET", "射水ケーブルネットワーク株式会社"),
    (112, "エヌ・シィ・ティ", "株式会社エヌ・シィ・ティ"),
)


def letter_for(n: int) -> str:
    return LETTER_BY_REMAINDER[n % 3]


def first_granted_on(n: int, total: int = 112) -> datetime.date:
    span = (LAST_DATE - FIRST_DATE).days
    return FIRST_DATE + datetime.timedelta(days=round((n - 1) * span / (total - 1)))


def current_period(
    first: datetime.date, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The validity period containing `today` for a licence renewed on time since `first`."""
    conf = scheme_settings.settings()
    start = first
    while True:
        until = conf.valid_until(start)
        if until >= today:
            return start, until
        start = until + datetime.timedelta(days=1)


@transaction.atomic
def load(out: TextIO) -> None:
    bodies = {
        org.licence_letter: org
        for org in Organisation.objects.filter(kind=OrganisationKind.RECEPTION_BODY).exclude(
            licence_letter=""
        )
    }
    missing = set(LETTER_BY_REMAINDER.values()) - set(bodies)
    if missing:
        out.write(f"licences demo: no reception body for letter(s) {sorted(missing)}, skipped\n")
        return
    today = clock.today()
    created = skipped = 0
    taken = dict(Licence.objects.values_list("serial", "number"))
    for n, service, company in SEED_002_SERVICES:
        number = format_number(letter_for(n), n)
        if n in taken:
            if taken[n] != number:
                out.write(f"licences demo: serial {n} is already used by {taken[n]}, skipped\n")
                skipped += 1
            continue
        org = Organisation.objects.filter(kind=OrganisationKind.APPLICANT, name=company).first()
        if org is None:
            org = Organisation.objects.create(kind=OrganisationKind.APPLICANT, name=company)
        first = first_granted_on(n)
        valid_from, valid_until = current_period(first, today)
        create_licence(
            serial=n,  # the seed's No. (its list is in licence-number order)
            organisation=org,
            service_name=service,
            reception_body=bodies[letter_for(n)],
            first_granted_on=first,
            valid_from=valid_from,
            valid_until=valid_until,
            imported_term=True,
        )
        created += 1
    created += _demo_holder_licence(bodies["J"])
    lowest = Licence.objects.order_by("serial").first()
    if lowest is not None:
        # The numbers and dates above are invented: the registry pages say so (demo_notice).
        demo_notice.mark_loaded(lowest, len(SEED_002_SERVICES))
    out.write(
        f"licences demo: {created} licence(s) loaded from seed 002 and the demo holder, "
        f"{Licence.objects.count()} in all{f', {skipped} skipped' if skipped else ''}\n"
    )


# The demo applicant (alice's company) holds one licence too, so a new user can see the holder's
# side at once: the embed snippet and live mark, bulletins, the annual fee, and (the renewal
# window being open) starting a renewal.
DEMO_HOLDER = ("sample-net", "サンプルネット光 ホーム", datetime.date(2025, 6, 1))


def _demo_holder_licence(body: Organisation) -> int:
    code, service, first = DEMO_HOLDER
    org = Organisation.objects.filter(code=code).first()
    if org is None or Licence.objects.filter(organisation=org, service_name=service).exists():
        return 0
    create_licence(  # the next number of the one counter
        organisation=org,
        service_name=service,
        reception_body=body,
        first_granted_on=first,
        valid_from=first,
        valid_until=scheme_settings.settings().valid_until(first),
        imported_term=True,
    )
    return 1


def load_synthetic(count: int, *, today: datetime.date | None = None) -> int:
    """Add `count` made-up licences after the highest number in use (for the benchmark and
    the registry's performance tests): one company per 5 services, full-width and half-width
    names mixed, every 10th licence not valid (so the registry filters). Returns the first
    serial added."""
    today = today or clock.today()
    conf = scheme_settings.settings()
    bodies = list(
        Organisation.objects.filter(kind=OrganisationKind.RECEPTION_BODY)
        .exclude(licence_letter="")
        .order_by("licence_letter")
    )
    if not bodies:
        raise RuntimeError("no reception bodies: load the accounts demo first")
    start = (Licence.objects.order_by("-serial").values_list("serial", flat=True).first() or 0) + 1
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(kind=OrganisationKind.APPLICANT, name=f"ベンチ通信{n:05d}株式会社")
                for n in range((count + 4) // 5)
            ]
        )
        licences = []
        for i in range(count):
            serial = start + i
            body = bodies[serial % len(bodies)]
            org = orgs[i // 5]
            service = f"ベンチネット{serial}" if i % 2 else f"ＢＥＮＣＨ光 {serial}"
            first = today - datetime.timedelta(days=serial % 700)
            lic = Licence(
                number=format_number(body.licence_letter, serial),
                serial=serial,
                organisation=org,
                service_name=service,
                reception_body=body,
                status=LicenceStatus.REVOKED if i % 10 == 9 else LicenceStatus.ACTIVE,
                first_granted_on=first,
                valid_from=first,
                valid_until=conf.valid_until(first),
            )
            lic.search_key = make_search_key(service, org.name)
            licences.append(lic)
        Licence.objects.bulk_create(licences, batch_size=1000)
    bump_counter_to(start + count - 1)
    return start
