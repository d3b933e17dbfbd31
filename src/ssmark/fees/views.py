"""Fees pages. Every view that takes an id looks the invoice up among those the user may see
(`services.visible_invoices`), so anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ssmark.accounts.models import Organisation, OrganisationKind, Role
from ssmark.core import clock, query
from ssmark.core.csvexport import csv_response

from . import reports, services
from .forms import CorrectionForm, InvoiceFilterForm, PaymentForm
from .models import DocumentType, FeeKind, Invoice, InvoiceStatus
from .services.issuing import store_document
from .validators import is_registration_number

STATUS_CLASS: dict[str, str] = {
    InvoiceStatus.PAID: "ok",
    InvoiceStatus.PARTLY_PAID: "warn",
    InvoiceStatus.OVERDUE: "bad",
    InvoiceStatus.UNPAID: "",
    InvoiceStatus.CANCELLED: "",
    InvoiceStatus.CREDIT: "",
}


def _decorate(invoices: Any) -> list[Invoice]:
    rows = list(invoices)
    for invoice in rows:
        status = invoice.balance_status
        invoice.status_label = InvoiceStatus(status).label
        invoice.status_class = STATUS_CLASS.get(status, "")
    return rows


def _require_staff(request: HttpRequest) -> None:
    if not services.is_fees_staff(request.user):
        raise PermissionDenied


def _filtered(request: HttpRequest) -> tuple[InvoiceFilterForm, QuerySet[Invoice], int | None]:
    form = InvoiceFilterForm(request.GET or None)
    qs = services.with_balances(services.visible_invoices(request.user))
    year: int | None = None
    if form.is_valid():
        data = form.cleaned_data
        year = data.get("year")
        if year:
            qs = qs.filter(issued_on__year=year)
        if data.get("body"):
            qs = qs.filter(issuer__code=data["body"])
        if data.get("status"):
            qs = qs.filter(Q(balance_status=data["status"]))
        if data.get("fee"):
            qs = qs.filter(fee_kind=data["fee"])
    return form, qs, year


def _bodies(user: Any) -> QuerySet[Organisation]:
    bodies = Organisation.objects.filter(kind=OrganisationKind.RECEPTION_BODY).order_by("code")
    if not user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR):
        bodies = bodies.filter(pk=user.organisation_id)
    return bodies


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Secretariat, administrators and reception staff (their body only): issued, paid and
    overdue by body and by month. Applicant members are sent to their invoices."""
    if not services.is_fees_staff(request.user):
        if request.user.has_role(Role.APPLICANT):  # type: ignore[union-attr]
            return redirect("fees:invoices")
        raise PermissionDenied
    today = clock.today()
    year = query.year_param(request, "year", today.year)
    qs = services.with_balances(
        services.visible_invoices(request.user).filter(issued_on__year=year)
    )
    body = query.text_param(request, "body")
    if body:
        qs = qs.filter(issuer__code=body)
    report = reports.summarise(qs)
    bodies = _bodies(request.user)
    context = {
        "year": year,
        "years": list(range(today.year - 4, today.year + 1)),
        "body": body,
        "bodies": bodies,
        "report": report,
        "unpaid_review_fees": _decorate(services.unpaid_review_fees(request.user)[:100]),
        "overdue": _decorate(
            services.overdue_invoices()
            .filter(pk__in=services.visible_invoices(request.user).values("pk"))
            .select_related("issuer", "addressee")
            .order_by("due_on")[:100]
        ),
        "unregistered": [
            b for b in bodies if not is_registration_number(b.invoice_registration_number)
        ],
    }
    return render(request, "fees/dashboard.html", context)


@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    form, qs, _year = _filtered(request)
    rows = _decorate(qs.order_by("-issued_on", "-sequence_number")[:500])
    return render(
        request,
        "fees/invoice_list.html",
        {
            "form": form,
            "invoices": rows,
            "is_staff": services.is_fees_staff(request.user),
            "statuses": InvoiceStatus.choices,
            "fees": FeeKind.choices,
        },
    )


def _visible(request: HttpRequest, pk: int) -> Invoice:
    return get_object_or_404(services.visible_invoices(request.user), pk=pk)


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _visible(request, pk)
    balance = services.balance(invoice)
    return render(
        request,
        "fees/invoice_detail.html",
        {
            "invoice": invoice,
            "balance": balance,
            "status_class": STATUS_CLASS.get(balance.status, ""),
            "payments": invoice.payments.select_related("recorded_by"),
            "corrections": invoice.corrections.order_by("sequence_number"),
            "can_manage": services.can_manage(request.user, invoice),
            "payable": not invoice.is_credit_note and balance.outstanding > 0,
            "correctable": not invoice.is_credit_note
            and balance.status != InvoiceStatus.CANCELLED
            and balance.paid == 0,
        },
    )


@login_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _visible(request, pk)
    document = store_document(invoice)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{document.sha256}"'
    return response


@login_required
def record_payment(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _visible(request, pk)
    if not services.can_manage(request.user, invoice):
        raise PermissionDenied
    balance = services.balance(invoice)
    form = PaymentForm(
        request.POST or None,
        initial={"received_on": clock.today(), "amount": max(balance.outstanding, 0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_payment(invoice=invoice, actor=request.user, **form.cleaned_data)
        except services.FeesError as exc:
            form.add_error(None, str(exc))
        else:
            after = services.balance(invoice)
            messages.success(
                request,
                _("Payment recorded. Invoice %(number)s is now: %(status)s.")
                % {"number": invoice.number, "status": after.status_label},
            )
            return redirect("fees:invoice", pk=invoice.pk)
    return render(
        request,
        "fees/record_payment.html",
        {"invoice": invoice, "balance": balance, "form": form},
    )


@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _visible(request, pk)
    if not services.can_manage(request.user, invoice):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credit, new = services.issue_correction(
                invoice=invoice,
                reason=form.cleaned_data["reason"],
                new_amount=form.cleaned_data["new_amount"],
                actor=request.user,
            )
        except services.FeesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Credit note %(number)s issued.") % {"number": credit.number},
            )
            return redirect("fees:invoice", pk=(new or credit).pk)
    return render(request, "fees/correct.html", {"invoice": invoice, "form": form})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """CSV (the one CSV writer: BOM, CRLF, formula cells neutralised): `?what=summary` the
    figures by month and body, otherwise the invoices (same filters as the invoice list)."""
    _require_staff(request)
    today = clock.today().isoformat()
    if request.GET.get("what") == "summary":
        _form, qs, year = _filtered(request)
        report = reports.summarise(qs)
        header = [
            _("Month"),
            _("Reception body"),
            _("Invoices issued"),
            _("Amount issued"),
            _("Credited"),
            _("Paid"),
            _("Outstanding"),
            _("Overdue invoices"),
            _("Overdue amount"),
        ]
        rows: list[list[Any]] = [
            [
                month,
                body,
                t.issued_count,
                t.issued_amount,
                t.credited,
                t.paid,
                t.outstanding,
                t.overdue_count,
                t.overdue_amount,
            ]
            for (month, body), t in report.by_month_and_body.items()
        ]
        return csv_response(f"fees-summary-{year or 'all'}-{today}.csv", header, rows)
    _form, qs, _year = _filtered(request)
    header = [
        _("Number"),
        _("Document"),
        _("Fee"),
        _("Reception body"),
        _("Addressee"),
        _("Issued on"),
        _("Transaction date"),
        _("Due on"),
        _("Amount excluding tax"),
        _("Consumption tax"),
        _("Total including tax"),
        _("Credited"),
        _("Paid"),
        _("Outstanding"),
        _("Status"),
        _("Corrects"),
    ]
    rows = [
        [
            inv.number,
            DocumentType(inv.document_type).label,
            FeeKind(inv.fee_kind).label,
            inv.issuer.code,
            inv.addressee_name,
            inv.issued_on.isoformat(),
            inv.transaction_date.isoformat(),
            inv.due_on.isoformat() if inv.due_on else "",
            inv.subtotal,
            inv.tax_total,
            inv.total,
            -inv.credited_total,  # type: ignore[attr-defined]
            inv.paid_total,  # type: ignore[attr-defined]
            inv.outstanding if not inv.is_credit_note else 0,  # type: ignore[attr-defined]
            InvoiceStatus(inv.balance_status).label,  # type: ignore[attr-defined]
            inv.corrects.number if inv.corrects else "",
        ]
        for inv in qs.select_related("corrects").order_by(
            "issuer__code", "sequence_year", "sequence_number"
        )
    ]
    return csv_response(f"invoices-{today}.csv", header, rows)


@login_required
@require_POST
def request_review_fee(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant asks for the review fee's invoice from the application (before submitting
    it: the fee is due by the submission). 404 for anyone who is not a member of the company."""
    from ssmark.applications.views.common import get_own_application

    application = get_own_application(request, pk)
    try:
        invoice = services.request_review_fee(actor=request.user, application=application)
    except services.FeesError as exc:
        messages.error(request, str(exc))
        return redirect("applications:submit", pk=application.pk)
    messages.success(
        request,
        _("Invoice %(number)s for the review fee is issued; pay it to submit the application.")
        % {"number": invoice.number},
    )
    return redirect("applications:submit", pk=application.pk)
