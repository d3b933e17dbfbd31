"""Clicks and full-page loads for a 53-item self-assessment and a 53-item first review
(issue 15): a careful count, item by item, over the built-in criteria set.

    .venv/bin/python bench/ux/clicks.py            # before and after, side by side

The model (the same for both columns, so they compare):
- the applicant claims every item "met", writes an explanation and attaches the evidence the
  item asks for: a file for DOC, a web address for WEB and DOC/WEB, a file and an address for
  DOC+WEB, a signed declaration (signer's name prefilled, statement typed) for SIGNED and
  PIM-SIGNED. The SCAN and AUDIT items have their own pages (scan reports, audits) and are
  counted only for the claim and explanation. Typing is not a click; clicking into a text
  field is not counted; choosing a file is one click (the file chooser), its button another.
- the reviewer records "met" for every item (with no comment), then nothing else.
- a page load is a full navigation (not an htmx or XMLHttpRequest swap).

"before" is the app as of e10f791 (issue 15 filed), read off the templates:
  applicant: open the item (1), claim radio (1, autosaved by htmx), "Save" for the explanation
  (1, htmx), per evidence form: file chooser + "Upload" (2) or "Add" (1), each followed by a
  full reload of the ~5,000 px page (applications.js reloads on success; URL and declaration
  forms are plain posts).
  reviewer: finding radio (1) + "Save finding" (1) per item, htmx, no reload.
"after" is the app with issue 15's changes (commits 0d89195, 389d4ce), read off the templates
and walked by tests/applications/test_inplace_browser.py and
tests/reviews/test_review_shortcuts_browser.py:
  applicant: the first item is opened by a click; each later one by the previous item's
  "Save and next item" (1 click, replaces open + Save); the claim radio (1, htmx); the
  explanation autosaves (0 clicks); evidence is added in place by htmx or the upload script
  (the item's fragment is swapped: no page load).
  reviewer, every item met: "Mark the remaining items as met..." (1) and its confirmation
  (1): 2 clicks, 2 page loads (the confirmation page, then back to the worksheet).
  reviewer, worst case (every finding chosen by hand): one radio per item, saved at once
  (no "Save finding" click): 53 clicks, no page load.
"""

from __future__ import annotations

from collections import Counter

from ssmark.criteria.loader import default_set

EVIDENCE_CLICKS = {  # kind -> (clicks, forms posted)
    "DOC": (2, 1),
    "WEB": (1, 1),
    "DOC/WEB": (1, 1),
    "DOC+WEB": (3, 2),
    "SIGNED": (1, 1),
    "PIM-SIGNED": (1, 1),
    "PIM-SIGNED-BY": (1, 1),
    "SCAN": (0, 0),
    "AUDIT": (0, 0),
}


def self_assessment(kinds: list[str], *, after: bool) -> tuple[int, int]:
    clicks = loads = 0
    for n, kind in enumerate(kinds):
        ev_clicks, posts = EVIDENCE_CLICKS[kind]
        if after:
            opened = 1 if n == 0 else 0  # later items open by "Save and next item"
            following = 1 if n < len(kinds) - 1 else 0  # "Save and next item"
            clicks += opened + 1 + ev_clicks + following  # open, claim, evidence, next
        else:
            clicks += 1 + 1 + 1 + ev_clicks  # open, claim, Save, evidence
            loads += posts
    return clicks, loads


def review(n_items: int, *, after: bool, worst: bool = False) -> tuple[int, int]:
    if after:
        # "mark the remaining items as met" + its confirmation; by hand: one radio per item
        return (n_items, 0) if worst else (2, 2)
    return 2 * n_items, 0  # radio + "Save finding" per item (htmx)


def main() -> None:
    items = list(default_set().items)
    kinds = [
        str(i.evidence[0].value) if len(i.evidence) == 1 else "+".join(e.value for e in i.evidence)
        for i in items
    ]
    print(
        f"criteria set {default_set().id}: {len(items)} items, evidence kinds {dict(Counter(kinds))}"
    )
    for label, after in (("before", False), ("after", True)):
        c, p = self_assessment(kinds, after=after)
        rc, rp = review(len(items), after=after)
        wc, wp = review(len(items), after=after, worst=True)
        print(
            f"{label:>6}: self-assessment {c} clicks, {p} full-page loads; "
            f"first review {rc} clicks, {rp} full-page loads "
            f"(every finding by hand: {wc} clicks, {wp} loads)"
        )


if __name__ == "__main__":
    main()
