"""/api/v1/: the REST API, its OpenAPI document and browsable docs (assets served here)."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import pages, views
from .schema import SCHEMA_SETTINGS

app_name = "api"

urlpatterns = [
    path(
        "v1/openapi.json",
        SpectacularJSONAPIView.as_view(custom_settings=SCHEMA_SETTINGS),
        name="schema",
    ),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/me/", views.Me.as_view(), name="me"),
    path("v1/applications/", views.ApplicationList.as_view(), name="applications"),
    path("v1/applications/<int:pk>/", views.ApplicationDetail.as_view(), name="application"),
    path("v1/applications/<int:pk>/submit/", views.SubmitApplication.as_view(), name="submit"),
    path(
        "v1/applications/<int:pk>/withdraw/", views.WithdrawApplication.as_view(), name="withdraw"
    ),
    path("v1/applications/<int:pk>/return/", views.ReturnApplication.as_view(), name="return"),
    path("v1/applications/<int:pk>/decide/", views.DecideApplication.as_view(), name="decide"),
    path("v1/applications/<int:pk>/answers/", views.AnswerList.as_view(), name="answers"),
    path(
        "v1/applications/<int:pk>/answers/<str:code>/",
        views.AnswerDetail.as_view(),
        name="answer",
    ),
    path(
        "v1/applications/<int:pk>/scan-reports/",
        views.ScanReportList.as_view(),
        name="scan_reports",
    ),
    path(
        "v1/applications/<int:pk>/scan-reports/<int:rid>/",
        views.ScanReportDetail.as_view(),
        name="scan_report",
    ),
    path(
        "v1/applications/<int:pk>/scan-reports/<int:rid>/findings/",
        views.FindingList.as_view(),
        name="findings",
    ),
    path("v1/reviews/queue/", views.ReviewQueue.as_view(), name="review_queue"),
    path("v1/licences/", views.LicenceList.as_view(), name="licences"),
    path("v1/licences/<str:number>/", views.LicenceDetail.as_view(), name="licence"),
    path("v1/invoices/", views.InvoiceList.as_view(), name="invoices"),
    path("v1/invoices/<int:pk>/", views.InvoiceDetail.as_view(), name="invoice"),
    path("v1/invoices/<int:pk>/payments/", views.PaymentList.as_view(), name="payments"),
    path("v1/notifications/", views.NotificationList.as_view(), name="notifications"),
    path(
        "v1/notifications/<int:pk>/read/",
        views.NotificationRead.as_view(),
        name="notification_read",
    ),
    path("v1/webhooks/", views.WebhookList.as_view(), name="webhooks"),
    path("v1/webhooks/<int:pk>/", views.WebhookDetail.as_view(), name="webhook"),
    path("v1/webhooks/<int:pk>/rotate/", views.WebhookRotate.as_view(), name="webhook_rotate"),
    path(
        "v1/webhooks/<int:pk>/deliveries/",
        views.WebhookDeliveries.as_view(),
        name="webhook_deliveries",
    ),
    # Anything else under v1/ (an id that is not a number, a path that does not exist): JSON 404.
    re_path(r"^v1/", views.NoSuchRoute.as_view()),
    # The person's own tokens (a signed-in page, linked from the security page).
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.revoke, name="revoke"),
]
