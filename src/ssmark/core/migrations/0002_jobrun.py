from django.db import migrations, models
from django.utils import timezone

# The scheduled jobs /healthz watches; tracking starts when this migration runs, so a fresh
# installation has one full period to run each job before /healthz reports it overdue.
JOBS = ("lapse-licences", "send-notifications")


def track(apps, schema_editor):
    JobRun = apps.get_model("core", "JobRun")
    for name in JOBS:
        JobRun.objects.get_or_create(name=name, defaults={"tracked_since": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="JobRun",
            fields=[
                ("name", models.CharField(max_length=50, primary_key=True, serialize=False, verbose_name="job")),
                ("tracked_since", models.DateTimeField(auto_now_add=True, verbose_name="tracked since")),
                ("last_started", models.DateTimeField(blank=True, null=True, verbose_name="last started")),
                ("last_success", models.DateTimeField(blank=True, null=True, verbose_name="last success")),
                ("last_failure", models.DateTimeField(blank=True, null=True, verbose_name="last failure")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
            ],
            options={"verbose_name": "scheduled job run", "verbose_name_plural": "scheduled job runs"},
        ),
        migrations.RunPython(track, migrations.RunPython.noop),
    ]
