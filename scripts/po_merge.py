"""Add or update Japanese translations in an app's django.po without GNU gettext.

Usage: python scripts/po_merge.py src/ssmark/<app> translations.tsv
where each line of the TSV is `English msgid<TAB>Japanese msgstr` (\\n for newlines).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib


def merge(app_dir: Path, pairs: list[tuple[str, str]]) -> Path:
    po_path = app_dir / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    if po_path.exists():
        catalog = polib.pofile(str(po_path))
    else:
        catalog = polib.POFile()
        catalog.metadata = {
            "Project-Id-Version": "ssmark",
            "Language": "ja",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    for msgid, msgstr in pairs:
        entry = catalog.find(msgid)
        if entry is None:
            catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
        else:
            entry.msgstr = msgstr
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalog.save(str(po_path))
    return po_path


if __name__ == "__main__":
    app, tsv = Path(sys.argv[1]), Path(sys.argv[2])
    rows = []
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            en, ja = line.split("\t")
            rows.append((en.replace("\\n", "\n"), ja.replace("\\n", "\n")))
    print(merge(app, rows))
