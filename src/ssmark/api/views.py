"""The API's views. Each one finds the object through the same per-object rules as the pages
(`ssmark.applications.permissions`, `ssmark.reviews.permissions`, `ssmark.licences.services`,
`ssmark.fees.services`) — 404 when the person may not see it — and changes things only through
the same service functions as the pages. Refusals propagate to `ssmark.api.errors`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, pagination, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ssmark.applications import assessment
from ssmark.applications import services as applicant
from ssmark.applications.models import Application, ItemAnswer, ScanFinding, ScanReport
from ssmark.applications.permissions import (
    can_edit_application,
    can_view_application,
    own_applications,
)
from ssmark.core.query import clean_text
from ssmark.fees.models import Invoice
from ssmark.fees.services import record_payment
from ssmark.fees.services.access import can_manage, visible_invoices
from ssmark.fees.services.balances import with_balances
from ssmark.licences.models import Licence
from ssmark.licences.services.access import visible_licences
from ssmark.notifications.models import Notification
from ssmark.notifications.services import inbox, mark_read
from ssmark.reviews import services as review
from ssmark.reviews.permissions import can_review, can_view_worksheet, queue_for
from ssmark.reviews.verdict import official_verdict
from ssmark.webhooks import services as webhooks
from ssmark.webhooks.models import Endpoint

from . import serializers as s
from .severity import SEVERITIES, severity_of, severity_range

ERRORS = {
    400: s.ErrorSerializer,
    401: s.ErrorSerializer,
    403: s.ErrorSerializer,
    404: s.ErrorSerializer,
    409: s.ErrorSerializer,
    429: s.ErrorSerializer,
}


def responses(ok: Any, code: int = 200) -> dict[int, Any]:
    return {code: ok, **ERRORS}


class Pages(pagination.PageNumberPagination):
    page_size_query_param = None

    def get_page_size(self, request: Any) -> int:
        return int(settings.SSMARK_API_PAGE_SIZE)


# --- applications -------------------------------------------------------------------------------


def visible_applications(user: Any) -> QuerySet[Application]:
    """What the person sees on the pages: their company's applications (applicants) and
    their queue (staff)."""
    own = own_applications(user).values("pk")
    queue = queue_for(user).values("pk")
    return (
        Application.objects.filter(Q(pk__in=own) | Q(pk__in=queue))
        .select_related("organisation", "reception_body")
        .order_by("-updated", "-pk")
    )


def get_application(request: Request, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("organisation", "reception_body", "criteria_set"),
        pk=pk,
    )
    if not can_view_application(request.user, application):
        raise Http404
    return application


def get_own_application(request: Request, pk: int) -> Application:
    application = get_application(request, pk)
    if not can_edit_application(request.user, application):
        raise PermissionDenied()
    return application


def verdict_data(verdict: Any, reasons: list[str]) -> dict[str, Any]:
    return {
        "passed": bool(verdict.passed),
        "points_earned": verdict.points_earned,
        "points_available": verdict.points_available,
        "threshold": verdict.threshold,
        "mandatory_total": verdict.mandatory_total,
        "mandatory_met": verdict.mandatory_met,
        "mandatory_unmet": list(getattr(verdict, "mandatory_unmet", ()) or ()),
        "unanswered": list(verdict.unanswered),
        "reasons": [str(r) for r in reasons],
    }


def application_detail(request: Request, application: Application) -> dict[str, Any]:
    data = dict(s.ApplicationSerializer(application).data)
    ready = assessment.readiness(application)
    data["readiness"] = {
        "percent": ready.percent,
        "threshold_percent": ready.threshold_percent,
        "scan_claim_overridden": ready.scan_claim_overridden,
        "categories": [
            {
                "code": c.code,
                "title": str(c.title),
                "earned": c.earned,
                "available": c.available,
                "mandatory_total": c.mandatory_total,
                "mandatory_unmet": c.mandatory_unmet,
                "unanswered": c.unanswered,
            }
            for c in ready.categories
        ],
    }
    data["verdict"] = verdict_data(ready.verdict, ready.reasons())
    data["official_verdict"] = None
    if can_view_worksheet(request.user, application):
        official = official_verdict(application)
        data["official_verdict"] = {
            **verdict_data(official.engine, official.engine.reasons(assessment.lang())),
            "mandatory_unmet": list(official.unmet_mandatory),
        }
    return data


@extend_schema(tags=["applications"])
class ApplicationList(generics.ListAPIView):
    """The applications the person sees: their company's, or their review queue (staff)."""

    serializer_class = s.ApplicationSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Application]:
        return visible_applications(self.request.user)


@extend_schema(tags=["applications"], responses=responses(s.ApplicationDetailSerializer))
class ApplicationDetail(APIView):
    """One application with its readiness and the verdict over the applicant's claims."""

    def get(self, request: Request, pk: int) -> Response:
        return Response(application_detail(request, get_application(request, pk)))


def _application_action(
    request: Request,
    pk: int,
    run: Any,
    *,
    applicant_action: bool,
    form_class: Any = None,
) -> Response:
    """Find the application (404 / 403 first, as the pages do), then validate the body, then
    run the service function."""
    if applicant_action:
        application = get_own_application(request, pk)
    else:
        application = get_application(request, pk)
        if not can_review(request.user, application):
            raise PermissionDenied()
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
    run(application, data)
    return Response(application_detail(request, get_application(request, pk)))


@extend_schema(tags=["workflow"], request=None, responses=responses(s.ApplicationDetailSerializer))
class SubmitApplication(APIView):
    """Submit (or resubmit after a return) to the reception body, as the page does."""

    def post(self, request: Request, pk: int) -> Response:
        def run(application: Application, data: dict[str, Any]) -> None:
            applicant.submit(actor=request.user, application=application)

        return _application_action(request, pk, run, applicant_action=True)


@extend_schema(
    tags=["workflow"],
    request=s.WithdrawInputSerializer,
    responses=responses(s.ApplicationDetailSerializer),
)
class WithdrawApplication(APIView):
    def post(self, request: Request, pk: int) -> Response:
        def run(application: Application, data: dict[str, Any]) -> None:
            applicant.withdraw(actor=request.user, application=application, reason=data["reason"])

        return _application_action(
            request, pk, run, applicant_action=True, form_class=s.WithdrawInputSerializer
        )


@extend_schema(
    tags=["workflow"],
    request=s.ReturnInputSerializer,
    responses=responses(s.ApplicationDetailSerializer),
)
class ReturnApplication(APIView):
    """The assigned first reviewer returns the application for correction."""

    def post(self, request: Request, pk: int) -> Response:
        def run(application: Application, data: dict[str, Any]) -> None:
            review.return_for_correction(
                actor=request.user,
                application=application,
                comments=data["comments"],
                overall_comment=data["overall_comment"],
            )

        return _application_action(
            request, pk, run, applicant_action=False, form_class=s.ReturnInputSerializer
        )


@extend_schema(
    tags=["workflow"],
    request=s.DecideInputSerializer,
    responses=responses(s.ApplicationDetailSerializer),
)
class DecideApplication(APIView):
    """The assigned first reviewer passes the application on or rejects it."""

    def post(self, request: Request, pk: int) -> Response:
        def run(application: Application, data: dict[str, Any]) -> None:
            review.decide(
                actor=request.user,
                application=application,
                decision=data["decision"],
                reasons=data["reasons"],
                override=data["override"],
                override_reason=data["override_reason"],
            )

        return _application_action(
            request, pk, run, applicant_action=False, form_class=s.DecideInputSerializer
        )


# --- answers ------------------------------------------------------------------------------------


@extend_schema(tags=["answers"], responses=responses(s.AnswerSerializer(many=True)))
class AnswerList(APIView):
    """The applicant's answers (one per item answered)."""

    def get(self, request: Request, pk: int) -> Response:
        application = get_application(request, pk)
        answers = ItemAnswer.objects.filter(application=application).select_related("item")
        return Response(s.AnswerSerializer(answers.order_by("item__code"), many=True).data)


@extend_schema_view(
    get=extend_schema(tags=["answers"], responses=responses(s.AnswerSerializer)),
    put=extend_schema(
        tags=["answers"],
        request=s.AnswerInputSerializer,
        responses=responses(s.AnswerSerializer),
        description="Save the answer while the application is editable (draft or returned). "
        "Send `expected_version` to refuse overwriting someone else's change (409).",
    ),
)
class AnswerDetail(APIView):
    def get(self, request: Request, pk: int, code: str) -> Response:
        application = get_application(request, pk)
        answer = get_object_or_404(
            ItemAnswer.objects.select_related("item"), application=application, item__code=code
        )
        return Response(s.AnswerSerializer(answer).data)

    def put(self, request: Request, pk: int, code: str) -> Response:
        application = get_own_application(request, pk)
        form = s.AnswerInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        answer = applicant.save_answer(
            actor=request.user,
            application=application,
            item_code=code,
            claim=data["claim"],
            grade=data.get("grade"),
            explanation=data["explanation"],
            expected_version=data.get("expected_version"),
        )
        answer = ItemAnswer.objects.select_related("item").get(pk=answer.pk)
        return Response(s.AnswerSerializer(answer).data)


# --- scan reports -------------------------------------------------------------------------------


def _finding_row(finding: Any) -> dict[str, Any]:
    """A stored finding row (ssmark.applications.models.ScanFinding) of the gate."""
    return {
        "host": finding.host,
        "port": finding.port or "",
        "check": finding.check_name or "",
        "title": finding.title or "",
        "base": finding.base,
        "has_statement": bool(finding.has_opinion),
    }


def gate_data(application: Application) -> dict[str, Any]:
    """The stored 2-1-1 gate result (counts, and the first rows of each list)."""
    gate = assessment.scan_gate(application)
    return {
        "state": gate.state,
        "reason": gate.reason,
        "passes": gate.state == assessment.GATE_OK,
        "blocks_claim": gate.blocks_claim,
        "fresh": gate.fresh,
        "reference_date": gate.reference_date,
        "report_count": gate.report_count,
        "pending_count": gate.pending_count,
        "failed_count": gate.failed_count,
        "blocking_count": gate.blocking_count,
        "needs_statement_count": gate.needs_statement_count,
        "statements_missing_count": gate.statements_missing_count,
        "blocking": [_finding_row(f) for f in gate.blocking],
        "needs_statement": [_finding_row(f) for f in gate.needs_statement],
        "roles_missing": list(gate.roles_missing),
        "stale_reports": list(gate.stale_reports),
    }


def report_detail(report: ScanReport) -> dict[str, Any]:
    data = dict(s.ScanReportSerializer(report).data)
    data["gate"] = gate_data(report.application)
    return data


@extend_schema_view(
    get=extend_schema(
        tags=["scan reports"], responses=responses(s.ScanReportSerializer(many=True))
    ),
    post=extend_schema(
        tags=["scan reports"],
        request={"multipart/form-data": s.ScanUploadSerializer},
        parameters=[
            OpenApiParameter(
                "background",
                OpenApiTypes.BOOL,
                description="Queue the report and answer 202 at once (state `queued`; poll "
                "the report until `done` or `failed`). Without it the report is read before "
                "the answer (201 with the gate, or 409 naming why it could not be read).",
            )
        ],
        responses={
            **responses(s.ScanReportDetailSerializer, 201),
            202: s.ScanReportDetailSerializer,
        },
        description="Upload a vulnerability-diagnosis report (multipart field `file`). The "
        "answer carries the 2-1-1 gate over all the application's reports.",
    ),
)
class ScanReportList(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def get(self, request: Request, pk: int) -> Response:
        application = get_application(request, pk)
        reports = application.scan_reports.order_by("created", "pk")
        return Response(s.ScanReportSerializer(reports, many=True).data)

    def post(self, request: Request, pk: int) -> Response:
        application = get_own_application(request, pk)
        form = s.ScanUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        background = request.query_params.get("background", "").lower() in ("1", "true")
        report = applicant.upload_scan_report(
            actor=request.user,
            application=application,
            upload=form.validated_data["file"],
            background=background,
        )
        report = ScanReport.objects.select_related("application").get(pk=report.pk)
        code = status.HTTP_202_ACCEPTED if background else status.HTTP_201_CREATED
        return Response(report_detail(report), status=code)


def get_report(request: Request, pk: int, rid: int) -> ScanReport:
    application = get_application(request, pk)
    report = get_object_or_404(ScanReport, pk=rid, application=application)
    report.application = application
    return report


@extend_schema(tags=["scan reports"], responses=responses(s.ScanReportDetailSerializer))
class ScanReportDetail(APIView):
    """One report, with the stored gate result of the application's reports."""

    def get(self, request: Request, pk: int, rid: int) -> Response:
        return Response(report_detail(get_report(request, pk, rid)))


@extend_schema(
    tags=["scan reports"],
    parameters=[
        OpenApiParameter("host", OpenApiTypes.STR, description="Only this host."),
        OpenApiParameter("severity", OpenApiTypes.STR, enum=SEVERITIES),
        OpenApiParameter("page", OpenApiTypes.INT),
    ],
    responses=responses(s.FindingSerializer(many=True)),
)
class FindingList(generics.GenericAPIView):
    """The report's findings, most severe first, paginated."""

    pagination_class = Pages
    serializer_class = s.FindingSerializer

    def get(self, request: Request, pk: int, rid: int) -> Response:
        report = get_report(request, pk, rid)
        # Cleaned as the scan page cleans it: a NUL would reach PostgreSQL and fail there.
        host = clean_text(request.query_params.get("host"), 255)
        severity = request.query_params.get("severity", "").strip()
        if severity and severity not in SEVERITIES:
            raise ValidationError({"severity": [f"{' | '.join(SEVERITIES)}"]})
        # Findings are rows (ssmark.applications.scangate); the band is a range of scores.
        rows = ScanFinding.objects.filter(report=report)
        if host:
            rows = rows.filter(host=host)
        if severity:
            rows = rows.filter(severity_range(severity))
        rows = rows.order_by(F("base").desc(nulls_last=True), "host", "port", "check_name", "id")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            [
                {
                    "host": f.host,
                    "port": f.port,
                    "check": f.check_name,
                    "title": f.title,
                    "cves": f.cve_list,
                    "base": f.base,
                    "severity": severity_of(f.base),
                }
                for f in page or []
            ]
        )


# --- reviews ------------------------------------------------------------------------------------


@extend_schema(tags=["reviews"])
class ReviewQueue(generics.ListAPIView):
    """The first-review queue of a staff member (reception, reviewers, oversight)."""

    serializer_class = s.ApplicationSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Application]:
        if not self.request.user.is_staff_role:
            raise PermissionDenied()
        return queue_for(self.request.user).order_by("submitted_on", "pk")


# --- licences -----------------------------------------------------------------------------------


def licences_for(user: Any) -> QuerySet[Licence]:
    from ssmark.licences.public import registry_queryset

    public = registry_queryset().values("pk")
    if not getattr(user, "is_authenticated", False):
        cond = Q(pk__in=public)
    else:
        cond = Q(pk__in=public) | Q(pk__in=visible_licences(user).values("pk"))
    return Licence.objects.filter(cond).select_related("organisation").order_by("serial")


@extend_schema(tags=["licences"])
class LicenceList(generics.ListAPIView):
    """Licences: the public registry without a token; with one, also those the person may
    see on the signed-in pages."""

    public = True
    serializer_class = s.LicenceSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Licence]:
        return licences_for(self.request.user)


@extend_schema(tags=["licences"], responses=responses(s.LicenceSerializer))
class LicenceDetail(APIView):
    public = True

    def get(self, request: Request, number: str) -> Response:
        licence = get_object_or_404(licences_for(request.user), number=number)
        return Response(s.LicenceSerializer(licence).data)


# --- invoices and payments ----------------------------------------------------------------------


def invoices_for(user: Any) -> QuerySet[Invoice]:
    return with_balances(visible_invoices(user)).order_by("-issued_on", "-pk")


def get_invoice(request: Request, pk: int) -> Invoice:
    return get_object_or_404(invoices_for(request.user), pk=pk)


@extend_schema(tags=["fees"])
class InvoiceList(generics.ListAPIView):
    """Invoices addressed to the person's company, or issued by their body (staff)."""

    serializer_class = s.InvoiceSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Invoice]:
        return invoices_for(self.request.user)


@extend_schema(tags=["fees"], responses=responses(s.InvoiceSerializer))
class InvoiceDetail(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.InvoiceSerializer(get_invoice(request, pk)).data)


@extend_schema_view(
    get=extend_schema(tags=["fees"], responses=responses(s.PaymentSerializer(many=True))),
    post=extend_schema(
        tags=["fees"],
        request=s.PaymentInputSerializer,
        responses=responses(s.PaymentSerializer, 201),
        description="Record a (partial) payment: staff of the issuing reception body, the "
        "secretariat and administrators.",
    ),
)
class PaymentList(APIView):
    def get(self, request: Request, pk: int) -> Response:
        invoice = get_invoice(request, pk)
        payments = invoice.payments.order_by("received_on", "pk")
        return Response(s.PaymentSerializer(payments, many=True).data)

    def post(self, request: Request, pk: int) -> Response:
        invoice = get_invoice(request, pk)
        if not can_manage(request.user, invoice):
            raise PermissionDenied()
        form = s.PaymentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        payment = record_payment(invoice=invoice, actor=request.user, **form.validated_data)
        return Response(s.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


# --- notifications ------------------------------------------------------------------------------


@extend_schema(tags=["notifications"])
class NotificationList(generics.ListAPIView):
    serializer_class = s.NotificationSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Notification]:
        return inbox(self.request.user).order_by("-created", "-pk")


@extend_schema(tags=["notifications"], request=None, responses=responses(s.NotificationSerializer))
class NotificationRead(APIView):
    def post(self, request: Request, pk: int) -> Response:
        notification = get_object_or_404(inbox(request.user), pk=pk)
        mark_read(user=request.user, notification=notification)
        notification.refresh_from_db()
        return Response(s.NotificationSerializer(notification).data)


# --- who am I -----------------------------------------------------------------------------------


@extend_schema(tags=["tokens"], responses=responses(s.MeSerializer))
class Me(APIView):
    """The person and the token the request acts with."""

    def get(self, request: Request) -> Response:
        user: Any = request.user
        token: Any = request.auth
        return Response(
            {
                "username": user.username,
                "roles": sorted(user.role_set()),
                "organisation": s.organisation_ref(user.organisation),
                "token_name": token.name,
                "token_scope": token.scope,
                "token_expires_at": token.expires_at,
            }
        )


@extend_schema(exclude=True)
class NoSuchRoute(APIView):
    """Any other address under /api/v1/: the API's JSON 404 (not the HTML page)."""

    public = True

    def _answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise Http404

    get = post = put = patch = delete = _answer


# --- webhooks -----------------------------------------------------------------------------------


def _webhook_organisation(request: Request) -> Any:
    """The person's organisation, when they manage its webhooks (else 403)."""
    organisation = getattr(request.user, "organisation", None)
    if not webhooks.can_manage(request.user, organisation):
        raise PermissionDenied()
    return organisation


def get_endpoint(request: Request, pk: int) -> Endpoint:
    endpoint = get_object_or_404(Endpoint.objects.select_related("organisation"), pk=pk)
    if not webhooks.can_manage(request.user, endpoint.organisation):
        raise Http404
    return endpoint


@extend_schema_view(
    get=extend_schema(
        tags=["webhooks"], responses=responses(s.WebhookEndpointSerializer(many=True))
    ),
    post=extend_schema(
        tags=["webhooks"],
        request=s.WebhookEndpointInputSerializer,
        responses=responses(s.WebhookEndpointCreatedSerializer, 201),
        description="Register an endpoint of the person's organisation; the answer carries "
        "its signing secret, shown only this once.",
    ),
)
class WebhookList(APIView):
    def get(self, request: Request) -> Response:
        organisation = _webhook_organisation(request)
        rows = organisation.webhook_endpoints.order_by("pk")
        return Response(s.WebhookEndpointSerializer(rows, many=True).data)

    def post(self, request: Request) -> Response:
        organisation = _webhook_organisation(request)
        form = s.WebhookEndpointInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        endpoint, secret = webhooks.create_endpoint(
            actor=request.user,
            organisation=organisation,
            url=data["url"],
            events=data["events"],
            description=data["description"],
            active=data["active"],
        )
        body = {**s.WebhookEndpointSerializer(endpoint).data, "secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=["webhooks"], responses=responses(s.WebhookEndpointSerializer)),
    put=extend_schema(
        tags=["webhooks"],
        request=s.WebhookEndpointInputSerializer,
        responses=responses(s.WebhookEndpointSerializer),
        description="Change the address, events or state (switching it on again clears the "
        "failure count).",
    ),
    delete=extend_schema(tags=["webhooks"], responses=responses(None, 204)),
)
class WebhookDetail(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.WebhookEndpointSerializer(get_endpoint(request, pk)).data)

    def put(self, request: Request, pk: int) -> Response:
        endpoint = get_endpoint(request, pk)
        form = s.WebhookEndpointInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        webhooks.update_endpoint(
            actor=request.user,
            endpoint=endpoint,
            url=data["url"],
            events=data["events"],
            active=data["active"],
            description=data["description"],
        )
        return Response(s.WebhookEndpointSerializer(endpoint).data)

    def delete(self, request: Request, pk: int) -> Response:
        webhooks.delete_endpoint(actor=request.user, endpoint=get_endpoint(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["webhooks"], request=None, responses=responses(s.WebhookSecretSerializer))
class WebhookRotate(APIView):
    """A new signing secret (the old one stops signing at once)."""

    def post(self, request: Request, pk: int) -> Response:
        secret = webhooks.rotate_secret(actor=request.user, endpoint=get_endpoint(request, pk))
        return Response({"secret": secret})


@extend_schema(tags=["webhooks"])
class WebhookDeliveries(generics.ListAPIView):
    """The endpoint's delivery log, newest first."""

    serializer_class = s.WebhookDeliverySerializer
    pagination_class = Pages

    def get_queryset(self) -> Any:
        endpoint = get_endpoint(self.request, self.kwargs["pk"])
        return endpoint.deliveries.select_related("event").order_by("-pk")
