from django.db import migrations


def add_indonesia(apps, schema_editor):
    # Oscar's checkout ships only to countries flagged as shipping countries.
    Country = apps.get_model("address", "Country")
    country, created = Country.objects.get_or_create(
        iso_3166_1_a2="ID",
        defaults={
            "iso_3166_1_a3": "IDN",
            "iso_3166_1_numeric": "360",
            "name": "Indonesia",
            "printable_name": "Indonesia",
            "is_shipping_country": True,
            "display_order": 1,
        },
    )
    if not created and not country.is_shipping_country:
        country.is_shipping_country = True
        country.save(update_fields=["is_shipping_country"])


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0004_sellershippingrate"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(add_indonesia, migrations.RunPython.noop)]
