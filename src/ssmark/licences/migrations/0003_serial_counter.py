"""Fill `Licence.serial` from the digits of existing numbers, make it required, and create the
one licence-number counter row at the highest serial in use."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Licence = apps.get_model("licences", "Licence")
    LicenceCounter = apps.get_model("licences", "LicenceCounter")
    highest = 0
    for licence in Licence.objects.filter(serial__isnull=True):
        licence.serial = int(licence.number[1:])
        licence.save(update_fields=["serial"])
    for serial in Licence.objects.values_list("serial", flat=True):
        highest = max(highest, serial)
    counter, _ = LicenceCounter.objects.get_or_create(name="licence")
    if counter.value < highest:
        counter.value = highest
        counter.save()


class Migration(migrations.Migration):
    dependencies = [
        ("licences", "0002_licence_lifecycle"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="licence",
            name="serial",
            field=models.PositiveIntegerField(unique=True, verbose_name="serial"),
        ),
    ]
