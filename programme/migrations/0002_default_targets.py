import datetime

from django.db import migrations

# The programme's published goals. Deadlines count from when the marketplace is installed (its
# launch); the programme office adjusts them in the admin.
DEFAULT_TARGETS = [
    ("Verified pesantren, first year", 1250, 1),
    ("Verified pesantren, five years", 5000, 5),
]


def add_default_targets(apps, schema_editor):
    ProgrammeTarget = apps.get_model("programme", "ProgrammeTarget")
    if ProgrammeTarget.objects.exists():
        return
    today = datetime.date.today()
    for name, count, years in DEFAULT_TARGETS:
        try:
            deadline = today.replace(year=today.year + years)
        except ValueError:  # 29 February
            deadline = today.replace(year=today.year + years, day=28)
        ProgrammeTarget.objects.create(name=name, target_count=count, deadline=deadline, measure="verified")


def remove_default_targets(apps, schema_editor):
    ProgrammeTarget = apps.get_model("programme", "ProgrammeTarget")
    ProgrammeTarget.objects.filter(name__in=[name for name, _count, _years in DEFAULT_TARGETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(add_default_targets, remove_default_targets)]
