"""What the API returns and accepts. Output serializers describe the JSON (for the OpenAPI
document); input serializers validate the request before a service function is called."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ssmark.applications.assessment import GATE_LABELS
from ssmark.applications.models import Application, ItemAnswer, ScanReport
from ssmark.fees.models import Invoice, Payment, PaymentMethod
from ssmark.licences.models import Licence
from ssmark.notifications.models import Notification
from ssmark.reviews.models import Decision
from ssmark.webhooks.models import DeliveryStatus, EventType

from .severity import SEVERITIES


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(required=False)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, language-free identifier.")
    message = serializers.CharField(help_text="In the request's language (ja or en).")
    field = serializers.CharField(required=False, help_text="The input that is wrong.")
    errors = ErrorItemSerializer(many=True, required=False)


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    code = serializers.CharField()


class CategoryReadinessSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    earned = serializers.IntegerField()
    available = serializers.IntegerField()
    mandatory_total = serializers.IntegerField()
    mandatory_unmet = serializers.ListField(child=serializers.CharField())
    unanswered = serializers.ListField(child=serializers.CharField())


class VerdictSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    points_earned = serializers.IntegerField()
    points_available = serializers.IntegerField()
    threshold = serializers.IntegerField()
    mandatory_total = serializers.IntegerField()
    mandatory_met = serializers.IntegerField()
    mandatory_unmet = serializers.ListField(child=serializers.CharField())
    unanswered = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())


class ReadinessSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    threshold_percent = serializers.IntegerField()
    scan_claim_overridden = serializers.CharField(allow_null=True)
    categories = CategoryReadinessSerializer(many=True)


class ApplicationSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    reception_body = OrganisationRefSerializer()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Application
        fields = [
            "id",
            "service_name",
            "scheme",
            "review_type",
            "status",
            "status_label",
            "organisation",
            "reception_body",
            "submitted_on",
            "first_submitted_on",
            "created",
            "updated",
        ]


class ApplicationDetailSerializer(ApplicationSerializer):
    readiness = ReadinessSerializer(
        help_text="The applicant's own claims, as the engine sees them."
    )
    verdict = VerdictSerializer(help_text="The rule engine's verdict over the applicant's claims.")
    official_verdict = VerdictSerializer(
        allow_null=True,
        help_text="The first review's verdict over the reviewer's findings (staff only).",
    )

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "readiness", "verdict", "official_verdict"]


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")

    class Meta:
        model = ItemAnswer
        fields = ["item", "claim", "grade", "explanation", "carried_over", "version", "updated"]


class AnswerInputSerializer(serializers.Serializer):
    claim = serializers.ChoiceField(choices=["", "met", "unmet"], required=False, default="")
    grade = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="The item's own range applies."
    )
    explanation = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )
    expected_version = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReturnInputSerializer(serializers.Serializer):
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=5000),
        help_text="Item code → comment to the applicant.",
    )
    overall_comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )


class DecideInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    override = serializers.BooleanField(required=False, default=False)
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )


class GateFindingSerializer(serializers.Serializer):
    host = serializers.CharField()
    port = serializers.CharField(allow_blank=True)
    check = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    base = serializers.FloatField(allow_null=True)
    has_statement = serializers.BooleanField()


class GateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=list(GATE_LABELS),
        help_text="ok passes; pending: a report is still being read; the others say why not.",
    )
    reason = serializers.CharField()
    passes = serializers.BooleanField(help_text="True when the diagnosis passes (state ok).")
    blocks_claim = serializers.BooleanField(help_text="Item 2-1-1 may not be claimed met.")
    fresh = serializers.BooleanField()
    reference_date = serializers.DateField(allow_null=True)
    report_count = serializers.IntegerField()
    pending_count = serializers.IntegerField(help_text="Reports still being read.")
    failed_count = serializers.IntegerField(help_text="Reports that could not be read.")
    blocking_count = serializers.IntegerField()
    needs_statement_count = serializers.IntegerField()
    statements_missing_count = serializers.IntegerField()
    blocking = GateFindingSerializer(many=True, help_text="The first 100 blocking findings.")
    needs_statement = GateFindingSerializer(
        many=True, help_text="The first 100 findings that need the written opinion."
    )
    roles_missing = serializers.ListField(child=serializers.CharField())
    stale_reports = serializers.ListField(child=serializers.CharField())


class ScanReportSerializer(serializers.ModelSerializer):
    hosts = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()

    class Meta:
        model = ScanReport
        fields = [
            "id",
            "original_name",
            "state",
            "error_code",
            "size",
            "sha256",
            "format",
            "scanned_on",
            "created",
            "hosts",
            "findings",
        ]

    def get_hosts(self, obj: ScanReport) -> int:
        return obj.host_count

    def get_findings(self, obj: ScanReport) -> int:
        return obj.finding_count


class ScanReportDetailSerializer(ScanReportSerializer):
    gate = GateSerializer(help_text="The 2-1-1 gate over the application's stored reports.")

    class Meta(ScanReportSerializer.Meta):
        fields = [*ScanReportSerializer.Meta.fields, "gate"]


class ScanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The scanner's report (multipart field `file`).")


class FindingSerializer(serializers.Serializer):
    host = serializers.CharField()
    port = serializers.CharField(allow_blank=True)
    check = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    cves = serializers.ListField(child=serializers.CharField())
    base = serializers.FloatField(allow_null=True)
    severity = serializers.ChoiceField(choices=SEVERITIES)


class LicenceSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="organisation.name")
    holder_en = serializers.CharField(source="organisation.name_en")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Licence
        fields = [
            "number",
            "service_name",
            "scheme",
            "status",
            "status_label",
            "holder",
            "holder_en",
            "first_granted_on",
            "valid_until",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    issuer = OrganisationRefSerializer()
    addressee = OrganisationRefSerializer()
    paid = serializers.IntegerField(source="paid_total", read_only=True)
    outstanding = serializers.IntegerField(read_only=True)
    payment_status = serializers.CharField(source="balance_status", read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "document_type",
            "fee_kind",
            "issuer",
            "addressee",
            "application",
            "issued_on",
            "due_on",
            "subtotal",
            "tax_total",
            "total",
            "paid",
            "outstanding",
            "payment_status",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "received_on", "amount", "method", "reference", "created"]


class PaymentInputSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    amount = serializers.IntegerField(min_value=1, max_value=10**12)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "link", "created", "read_at"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    organisation = OrganisationRefSerializer(allow_null=True)
    token_name = serializers.CharField()
    token_scope = serializers.ChoiceField(choices=["read", "write"])
    token_expires_at = serializers.DateTimeField()


def organisation_ref(org: Any) -> dict[str, Any] | None:
    if org is None:
        return None
    return {"id": org.pk, "name": org.name, "name_en": org.name_en, "code": org.code}


class WebhookEndpointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    events = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()
    consecutive_failures = serializers.IntegerField()
    disabled_reason = serializers.CharField(allow_blank=True)
    created = serializers.DateTimeField()


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret: shown only in this answer.")


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret: shown only in this answer.")


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False
    )
    active = serializers.BooleanField(required=False, default=True)


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.CharField(source="event.event_id")
    type = serializers.CharField(source="event.type")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempts = serializers.IntegerField()
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField(allow_blank=True)
    next_attempt_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
