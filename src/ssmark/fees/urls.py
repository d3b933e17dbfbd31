from django.urls import path

from . import views

app_name = "fees"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/export.csv", views.export, name="export"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/payments/new/", views.record_payment, name="record_payment"),
    path("invoices/<int:pk>/correct/", views.correct, name="correct"),
    path("applications/<int:pk>/review-fee/", views.request_review_fee, name="request_review_fee"),
]
