from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.worksheet, name="worksheet"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/items/<int:item_id>/finding/", views.finding, name="finding"),
    path("<int:pk>/mark-met/", views.mark_remaining_met, name="mark_met"),
    path("<int:pk>/return/", views.return_for_correction, name="return"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/comments/<int:comment_id>/reply/", views.reply, name="reply"),
]
