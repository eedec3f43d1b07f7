from django.db import migrations

# The default targets' names are shown as they are stored, so they are stored in the interface's
# default language. Names the programme office has changed are left alone.
RENAMES = {
    "Verified pesantren, first year": "Pesantren terverifikasi, tahun pertama",
    "Verified pesantren, five years": "Pesantren terverifikasi, lima tahun",
}


def rename(apps, schema_editor, mapping):
    ProgrammeTarget = apps.get_model("programme", "ProgrammeTarget")
    for old, new in mapping.items():
        ProgrammeTarget.objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [("programme", "0002_default_targets")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rename(apps, editor, RENAMES),
            lambda apps, editor: rename(apps, editor, {new: old for old, new in RENAMES.items()}),
        )
    ]
