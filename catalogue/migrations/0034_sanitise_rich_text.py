"""Sanitise the product and category descriptions (and rich-text attribute values) written before rich text was sanitised on save."""

from django.db import migrations

BATCH = 500


def sanitise_existing_rows(apps, schema_editor):
    from core.html import sanitise_rich_text

    for model_name, fields in (
        ("Product", ["description"]),
        ("Category", ["description", "long_description"]),
        ("ProductAttributeValue", ["value_richtext"]),
    ):
        model = apps.get_model("catalogue", model_name)
        changed = []
        # Historical models have no custom save(), so update only what the sanitiser changes.
        for row in model.objects.only("pk", *fields).iterator(chunk_size=BATCH):
            dirty = False
            for field in fields:
                value = getattr(row, field) or ""
                clean = sanitise_rich_text(value)
                if clean != value:
                    setattr(row, field, clean)
                    dirty = True
            if dirty:
                changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, fields)
                changed = []
        if changed:
            model.objects.bulk_update(changed, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0033_product_bpom_expiry_product_bpom_number_and_more"),
    ]

    operations = [migrations.RunPython(sanitise_existing_rows, migrations.RunPython.noop, elidable=True)]
