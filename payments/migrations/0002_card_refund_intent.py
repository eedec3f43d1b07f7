from django.db import migrations, models
from django.db.models import Q


def key_existing_refunds(apps, schema_editor):
    CardRefund = apps.get_model("payments", "CardRefund")
    for refund in CardRefund.objects.filter(idempotency_key=""):
        refund.idempotency_key = f"seller-order-{refund.seller_order_id}-refund-booked-{refund.pk}"
        refund.save(update_fields=["idempotency_key"])


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="cardrefund",
            name="refund_id",
            field=models.CharField(blank=True, max_length=255, verbose_name="Stripe refund"),
        ),
        migrations.AddConstraint(
            model_name="cardrefund",
            constraint=models.UniqueConstraint(
                condition=~Q(refund_id=""), fields=("refund_id",), name="unique_stripe_refund"
            ),
        ),
        migrations.AddField(
            model_name="cardrefund",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="last error"),
        ),
        # Refunds booked before this migration were made at Stripe already.
        migrations.AddField(
            model_name="cardrefund",
            name="status",
            field=models.CharField(
                choices=[("pending", "Pending at Stripe"), ("succeeded", "Refunded"), ("failed", "Refused by Stripe")],
                default="succeeded",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="cardrefund",
            name="status",
            field=models.CharField(
                choices=[("pending", "Pending at Stripe"), ("succeeded", "Refunded"), ("failed", "Refused by Stripe")],
                default="pending",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="cardrefund",
            name="idempotency_key",
            field=models.CharField(default="", max_length=100, verbose_name="idempotency key"),
            preserve_default=False,
        ),
        migrations.RunPython(key_existing_refunds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="cardrefund",
            name="idempotency_key",
            field=models.CharField(max_length=100, unique=True, verbose_name="idempotency key"),
        ),
    ]
