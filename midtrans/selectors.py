from django.db.models import Sum

from midtrans.methods import how_to_pay, method_for
from midtrans.models import ChargePurpose, MidtransCharge, MidtransFee
from midtrans.qr import qr_svg


def latest_charge(*, purpose: str, payable_id: int) -> MidtransCharge | None:
    return MidtransCharge.objects.filter(purpose=purpose, payable_id=payable_id).order_by("-attempt").first()


def latest_order_charge(*, order) -> MidtransCharge | None:
    return latest_charge(purpose=ChargePurpose.ORDER, payable_id=order.pk)


def fee_shares_of_order(*, order_id: int) -> dict[int, int]:
    """Each part's share of the Midtrans fees of an order, in whole rupiah: {seller_order_id: fee}."""
    rows = (
        MidtransFee.objects.filter(charge__order_id=order_id)
        .values("seller_order_id")
        .annotate(total=Sum("amount"))
        .values_list("seller_order_id", "total")
    )
    return {seller_order_id: int(total) for seller_order_id, total in rows}


def charge_display(charge: MidtransCharge | None) -> dict:
    """What the buyer's page shows for a charge: the method, its "how to pay" steps and the QR."""
    if charge is None:
        return {"charge": None}
    method = method_for(charge.method)
    return {
        "charge": charge,
        "method": method,
        "kind": method.kind if method else "",
        "steps": how_to_pay(method) if method else [],
        "qr": qr_svg(charge.qr_string, label=str(method.label) if method else "QR") if charge.qr_string else "",
    }
