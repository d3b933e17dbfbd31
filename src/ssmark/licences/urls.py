"""Mounted at the site root. The first block are the PUBLIC, STABLE addresses that licence
holders embed and link to: do not change them (docs/licences.md lists them)."""

from django.urls import URLPattern, URLResolver, path

from . import public, views

app_name = "licences"
urlpatterns: list[URLPattern | URLResolver] = [
    # --- public, stable ---
    path("registry/", public.registry, name="registry"),
    path("registry.csv", public.registry_csv, name="registry_csv"),
    path("registry.json", public.registry_json, name="registry_json"),
    path(".well-known/jwks.json", public.jwks, name="jwks"),
    path("licences/status.json", public.status_list, name="status_list"),
    path("licences/status.jwt", public.status_list_signed, name="status_list_signed"),
    # --- signed-in pages (before the <number> patterns) ---
    path("licences/mine/", views.mine, name="mine"),
    path("licences/late/", views.late, name="late"),
    path("licences/incidents/", views.incidents, name="incidents"),
    path("licences/incidents/<int:pk>/", views.incident_detail, name="incident"),
    path(
        "licences/incidents/<int:pk>/investigation/",
        views.incident_investigation,
        name="incident_investigation",
    ),
    path(
        "licences/incidents/<int:pk>/recommendation/",
        views.incident_recommendation,
        name="incident_recommendation",
    ),
    path(
        "licences/incidents/<int:pk>/recommendations/<int:rec>/respond/",
        views.incident_respond,
        name="incident_respond",
    ),
    path("licences/incidents/<int:pk>/close/", views.incident_close, name="incident_close"),
    path("licences/manage/<str:number>/", views.detail, name="detail"),
    path("licences/manage/<str:number>/history/", views.history, name="history"),
    path("licences/manage/<str:number>/notice/<int:term>.pdf", views.pass_notice, name="notice"),
    path("licences/manage/<str:number>/suspend/", views.suspend, name="suspend"),
    path("licences/manage/<str:number>/revoke/", views.revoke, name="revoke"),
    path("licences/manage/<str:number>/reinstate/", views.reinstate, name="reinstate"),
    path("licences/manage/<str:number>/renew/", views.renew, name="renew"),
    path("licences/manage/<str:number>/receipt/", views.confirm_receipt, name="confirm_receipt"),
    path("licences/manage/<str:number>/incidents/new/", views.incident_new, name="incident_new"),
    # --- public, stable: one licence ---
    path("licences/<str:number>/", public.verify, name="verify"),
    path("licences/<str:number>/mark.svg", public.mark_svg, name="mark"),
    path("licences/<str:number>/credential", public.credential, name="credential"),
]
