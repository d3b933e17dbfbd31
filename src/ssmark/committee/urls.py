from django.urls import path

from . import views

app_name = "committee"
urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/open/", views.session_open, name="session_open"),
    path("sessions/<int:pk>/close/", views.session_close, name="session_close"),
    path("sessions/<int:pk>/add-waiting/", views.session_add_waiting, name="session_add_waiting"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("sessions/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/move/", views.item_move, name="item_move"),
    path("items/<int:pk>/issue-licence/", views.item_issue_licence, name="item_issue_licence"),
]
