"""The criteria catalog for signed-in users (the list of sets, one set in full), and the public
"about the scheme" page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from ssmark.catalog import presenters
from ssmark.catalog.models import CriteriaSet
from ssmark.catalog.services import current_set, get_criteria_set
from ssmark.core import clock


@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    rows = []
    for set_obj in CriteriaSet.objects.all():
        in_force = current_set(set_obj.scheme, today)
        rows.append(
            {
                "set": set_obj,
                "totals": presenters.totals(get_criteria_set(set_obj)),
                "in_force": in_force is not None and in_force.pk == set_obj.pk,
            }
        )
    return render(request, "catalog/index.html", {"rows": rows, "today": today})


@login_required
def detail(request: HttpRequest, set_id: str) -> HttpResponse:
    set_obj = get_object_or_404(CriteriaSet, set_id=set_id)
    cs = get_criteria_set(set_obj)
    lang = presenters.lang()
    context = {
        "set": set_obj,
        "reviews": [presenters.review_label(review) for review in cs.review_types],
        "totals": presenters.totals(cs),
        "notes": [note.get(lang) for note in cs.notes],
        "legend": presenters.evidence_legend(cs),
        "categories": presenters.categories(cs),
        "audit": cs.audit,
        "audit_intro": cs.audit.intro.get(lang) if cs.audit else "",
        "audit_method": cs.audit.method.get(lang) if cs.audit else "",
        "audit_groups": presenters.audit_groups(cs),
        "diagnosis": cs.diagnosis,
        "diagnosis_basis": cs.diagnosis.basis.get(lang) if cs.diagnosis else "",
        "diagnosis_method": cs.diagnosis.method.get(lang) if cs.diagnosis else "",
        "diagnosis_lists": presenters.diagnosis_lists(cs),
    }
    return render(request, "catalog/detail.html", context)


def about(request: HttpRequest) -> HttpResponse:
    """Public: who runs the scheme (the council, the committee, their secretariats), from
    scheme_bodies.yaml, in the visitor's language."""
    from ssmark.catalog.bodies import localized

    return render(
        request, "catalog/about.html", {"bodies": localized(translation.get_language() or "ja")}
    )
