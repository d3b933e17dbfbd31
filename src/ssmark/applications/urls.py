from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "applications"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/readiness/", views.readiness_panel, name="readiness"),
    path("<int:pk>/items/<str:code>/", views.item_fragment, name="item"),
    path("<int:pk>/items/<str:code>/answer/", views.save_answer, name="answer"),
    path("<int:pk>/items/<str:code>/evidence/", views.add_evidence, name="evidence_add"),
    path(
        "<int:pk>/evidence/<int:evidence_id>/remove/",
        views.remove_evidence,
        name="evidence_remove",
    ),
    path("<int:pk>/scan/", views.scan_page, name="scan"),
    path("<int:pk>/scan/<int:report_id>/remove/", views.scan_remove, name="scan_remove"),
    path("<int:pk>/scan/<int:report_id>/progress/", views.scan_progress, name="scan_progress"),
    path("<int:pk>/scan/roles/", views.host_roles, name="host_roles"),
    path("<int:pk>/scan/statement/", views.finding_statement, name="statement"),
    path("<int:pk>/audits/", views.audits_page, name="audits"),
    path("<int:pk>/audits/<int:audit_id>/remove/", views.audit_remove, name="audit_remove"),
    path("<int:pk>/incidents/", views.incidents_page, name="incidents"),
    path("<int:pk>/incidents/none/", views.no_incidents, name="no_incidents"),
    path(
        "<int:pk>/incidents/<int:incident_id>/remove/",
        views.incident_remove,
        name="incident_remove",
    ),
    path("<int:pk>/contacts/", views.contacts_page, name="contacts"),
    path("<int:pk>/submit/", views.submit_page, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw_page, name="withdraw"),
    path(
        "<int:pk>/files/<str:kind>/<int:file_id>/",
        views.download_file,
        name="file",
    ),
]
