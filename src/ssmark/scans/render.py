"""The verdict as text for a reviewer's terminal, in Japanese (default) or English."""

from __future__ import annotations

from collections.abc import Mapping

from .gate import GateVerdict
from .model import Finding

_TEXT = {
    "ja": {
        "title": "脆弱性診断結果の判定（項目 2-1-1）",
        "submitted": "申請日: {d}（診断完了は {e} 以降であること）",
        "passed": "判定: 合格",
        "failed": "判定: 不合格",
        "report": "報告書: {path}",
        "meta": "  形式 {fmt} / スキャナ {scanner} / 開始 {started} / 完了 {finished} / "
        "ホスト {hosts} / 検出 {findings}",
        "fresh": "  鮮度: 期限内",
        "stale": "  鮮度: 期限外（{reason}）",
        "blocking": "CVSS 基本値 {fail} 以上で未解消（提出不可）: {n} 件",
        "statement": "CVSS 基本値 {stmt} 以上 {fail} 未満（責任者の意見書が必要）: {n} 件",
        "resolved": "新しい診断で解消済み: {n} 件",
        "roles_missing": "診断対象のない役割: {roles}",
        "roles_none": "役割ファイル（--roles）がないため、対象の網羅性は未確認です",
        "roles_ok": "役割: DNS・メール・Web・認証・ルータのすべてに診断済みホストがあります",
        "score_note": "（ベクトルなし）",
        "unversioned": "版不明",
        "none": "なし",
        "unknown": "不明",
        "reason": {
            "no_end_time": "診断完了日時の記載なし",
            "after_submission": "申請日より後に完了",
            "before_earliest": "{d} より前に完了",
        },
        "without_v2": "CVSS v2 基本値の記載がない検出: {n} 件（診断の条件 1: "
        "CVSS v2 の基本評価基準に対応したソフトウェア等を使用し、CVSS 基本値が報告書に"
        "記載されること）{fallback}",
        "fallback_ok": "。v3/v4 の基本値で判定しました",
        "fallback_no": "。この基準では v3/v4 での代替は認められません（不合格）",
        "note": "  注記: {note}",
    },
    "en": {
        "title": "Vulnerability diagnosis verdict (item 2-1-1)",
        "submitted": "Submitted: {d} (scans must have finished on or after {e})",
        "passed": "Verdict: PASSED",
        "failed": "Verdict: NOT PASSED",
        "report": "Report: {path}",
        "meta": "  format {fmt} / scanner {scanner} / started {started} / finished "
        "{finished} / hosts {hosts} / findings {findings}",
        "fresh": "  freshness: within the period",
        "stale": "  freshness: STALE ({reason})",
        "blocking": "Base score >= {fail} still present (blocking): {n}",
        "statement": "Base score {stmt} to below {fail} (needs the written opinion of the responsible manager, 意見書): {n}",
        "resolved": "Resolved by a newer scan: {n}",
        "roles_missing": "Roles with no scanned host: {roles}",
        "roles_none": "No roles file (--roles): coverage of the roles was not checked",
        "roles_ok": "Roles: every role (dns, mail, web, auth, router) has a scanned host",
        "score_note": " (no vector)",
        "unversioned": "version not stated",
        "none": "none",
        "unknown": "unknown",
        "reason": {
            "no_end_time": "the report states no scan end time",
            "after_submission": "finished after the submission date",
            "before_earliest": "finished before {d}",
        },
        "without_v2": "Findings without a CVSS v2 base score: {n} (diagnosis condition 1: "
        "the tool must support the CVSS v2 base metrics and the report must state each "
        "finding's CVSS base score){fallback}",
        "fallback_ok": "; judged on their v3/v4 base score",
        "fallback_no": "; this criteria set does not allow the v3/v4 fallback (not passed)",
        "note": "  note: {note}",
    },
}


def _finding_line(f: Finding, t: Mapping[str, object]) -> str:
    score = f.decisive
    if score is None:
        return f"  - {f.host} {f.port} [{f.check}] {f.title}"
    version = f"CVSS v{score.version}" if score.version else f"CVSS ({t['unversioned']})"
    detail = score.vector if score.vector else f"{score.base}{t['score_note']}"
    cves = f" {', '.join(f.cves[:5])}{' …' if len(f.cves) > 5 else ''}" if f.cves else ""
    return (
        f"  - {score.base:>4} {f.host} {f.port} [{f.check}] {f.title}\n"
        f"         {version} {detail}{cves}"
    )


def render(verdict: GateVerdict, lang: str = "ja", limit: int = 200) -> str:
    t = _TEXT.get(lang, _TEXT["ja"])
    out = [str(t["title"]), str(t["submitted"]).format(d=verdict.submitted, e=verdict.earliest), ""]
    unknown = str(t["unknown"])
    for status in verdict.reports:
        r = status.report
        out.append(str(t["report"]).format(path=r.path))
        out.append(
            str(t["meta"]).format(
                fmt=r.format,
                scanner=r.scanner_label or unknown,
                started=r.started.astimezone(verdict.tz).isoformat() if r.started else unknown,
                finished=r.finished.astimezone(verdict.tz).isoformat() if r.finished else unknown,
                hosts=len(r.hosts),
                findings=r.finding_count,
            )
        )
        if status.fresh:
            out.append(str(t["fresh"]))
        else:
            reasons = t["reason"]
            assert isinstance(reasons, dict)
            reason = str(reasons.get(status.reason_code, status.reason)).format(d=verdict.earliest)
            out.append(str(t["stale"]).format(reason=reason))
        out.extend(str(t["note"]).format(note=n) for n in r.notes)
    fail, stmt = verdict.thresholds.fail_at, verdict.thresholds.statement_at
    for label, items in (
        ("blocking", verdict.blocking),
        ("statement", verdict.needs_statement),
        ("resolved", verdict.resolved),
    ):
        out.append("")
        out.append(str(t[label]).format(n=len(items), fail=fail, stmt=stmt))
        out.extend(_finding_line(f, t) for f in items[:limit])
        if len(items) > limit:
            out.append(f"  … +{len(items) - limit}")
    if verdict.without_v2:
        ok = verdict.thresholds.fallback_allowed
        fallback = str(t["fallback_ok" if ok else "fallback_no"])
        out.extend(["", str(t["without_v2"]).format(n=verdict.without_v2, fallback=fallback)])
    out.append("")
    if not verdict.roles_given:
        out.append(str(t["roles_none"]))
    elif verdict.roles_missing:
        out.append(str(t["roles_missing"]).format(roles=", ".join(verdict.roles_missing)))
    else:
        out.append(str(t["roles_ok"]))
    out.append("")
    out.append(str(t["passed"] if verdict.passed else t["failed"]))
    return "\n".join(out)
