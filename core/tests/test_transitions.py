"""Every status field has a machine (or a stated exemption), and every allowed move writes one event.

The walk: for each machine, for each allowed (from, to), an object is made in `from` by a small
factory, moved with `core.transitions.transition`, and must end in `to` with exactly one new event
row carrying from, to and the actor. A move the table does not allow raises and writes nothing.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from core.transitions import TransitionNotAllowed, machine_for, machines, transition, transition_many
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

Order = get_model("order", "Order")

# Models with a status field that no machine governs, and why.
EXEMPT = {
    "order.Order": "Oscar's order status is derived from its seller orders (fulfilment._sync_order_status); "
    "the seller orders' machine carries the history.",
    "order.Line": "Oscar's per-line status; the project never sets it.",
    "basket.Basket": "Oscar's basket lifecycle (open, merged, frozen, submitted), kept by Oscar itself.",
    "payment.Transaction": "Oscar's payment transaction log; the project pays through payments and bank_transfers.",
    "reviews.ProductReview": "Oscar's product reviews, not used; reviews are ratings.LineReview.",
    "customer.ProductAlert": "Oscar's back-in-stock alert subscriptions, kept by Oscar itself.",
    "offer.RangeProductFileUpload": "Oscar's upload processing progress.",
    "partner.StockAlert": "Oscar's low-stock alert bookkeeping (open/closed), not a business state.",
    "offer.ConditionalOffer": "Oscar's offer availability (open/suspended/consumed), kept by Oscar itself.",
    "catalogue_dashboard.ImportJob": "Progress of a background import job, not a business state.",
    "couriers.TrackingEvent": "The aggregator's tracking log, one row per reported status, never changed.",
}
STATE_FIELD_NAMES = {"status"}

_numbers = itertools.count(1)


def _label(model) -> str:
    return model._meta.label


def _status_models():
    """Every concrete model with a field named status, or with a field some machine uses as its state."""
    names = STATE_FIELD_NAMES | {machine.field for machine in machines()}
    return [
        model
        for model in apps.get_models()
        if not model._meta.abstract
        and not model._meta.proxy
        and any(field.name in names for field in model._meta.concrete_fields)
    ]


def test_every_status_field_has_a_machine_or_an_exemption():
    machine_models = {machine.model for machine in machines()}
    unaccounted = [
        _label(model) for model in _status_models() if model not in machine_models and _label(model) not in EXEMPT
    ]
    assert unaccounted == []
    # An exemption for a model that now has a machine, or no status field any more, is stale.
    unmachined = {_label(model) for model in _status_models() if model not in machine_models}
    assert sorted(set(EXEMPT) - unmachined) == []


def test_every_machine_declares_every_status_and_only_known_ones():
    for machine in machines():
        statuses = {value for value, _ in machine.model._meta.get_field(machine.field).flatchoices}
        assert set(machine.transitions) == statuses, machine.model
        assert machine.pairs(), machine.model


# Factories: an object of each machine's model in a given status, written straight to the table.


def _bare_order(**fields):
    number = next(_numbers)
    return Order.objects.create(
        number=f"TR{number:06d}",
        currency="IDR",
        total_incl_tax=Decimal("115000"),
        total_excl_tax=Decimal("115000"),
        shipping_incl_tax=Decimal("15000"),
        shipping_excl_tax=Decimal("15000"),
        status="Pending payment",
        **fields,
    )


def _seller(world):
    if "seller" not in world:
        world["seller"] = make_seller(regions=world["regions"])
    return world["seller"]


def make_sellers_seller(status, world):
    seller = make_seller(status="applied", regions=world["regions"])
    type(seller).objects.filter(pk=seller.pk).update(status=status)
    seller.refresh_from_db()
    return seller


def make_fulfilment_sellerorder(status, world):
    from fulfilment.models import SellerOrder

    order = _bare_order()
    return SellerOrder.objects.create(
        order=order,
        seller=_seller(world),
        number=f"{order.number}-1",
        status=status,
        subtotal=Decimal("100000"),
        shipping_charge=Decimal("15000"),
        commission_rate=Decimal("0.05"),
        commission=Decimal("5000"),
    )


def make_payouts_payout(status, world):
    from payouts.models import Payout, PayoutMethod

    return Payout.objects.create(
        seller=_seller(world), amount=Decimal("50000"), method=PayoutMethod.BANK_TRANSFER, status=status
    )


def make_bank_transfers_banktransfer(status, world):
    from bank_transfers.models import BankTransfer

    code = next(_numbers) % 999 + 1
    return BankTransfer.objects.create(
        order=_bare_order(),
        amount=Decimal("115000"),
        unique_code=code,
        amount_due=Decimal("115000") + code,
        bank_name="BSI",
        account_number="7000000000",
        account_holder="Pasar Pesantren",
        status=status,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )


def make_ratings_linereview(status, world):
    from ratings.models import LineReview

    seller = _seller(world)
    product = make_seller_product(seller)
    customer = make_user()
    order = place_order(
        items=[(product, 1)], shipping_address=make_shipping_address(regions=world["regions"]), user=customer
    )
    line = order.lines.get()
    return LineReview.objects.create(
        line=line, product=product, seller=seller, author=customer, product_rating=5, seller_rating=5, status=status
    )


def make_invoices_invoice(status, world):
    from invoices.models import Invoice

    company = make_company()
    today = timezone.localdate()
    return Invoice.objects.create(
        number=f"INV-TR-{next(_numbers)}",
        company=company,
        order=_bare_order(),
        status=status,
        issue_date=today,
        due_date=today + datetime.timedelta(days=30),
        payment_terms_days=30,
        total=Decimal("115000"),
        buyer_legal_name=company.legal_name,
        buyer_npwp=company.npwp,
        buyer_address=company.address,
    )


def _rfq(world, status="open"):
    from quotes.models import RequestForQuotation

    today = timezone.localdate()
    return RequestForQuotation.objects.create(
        company=make_company(),
        created_by=make_user(),
        title="Keripik singkong",
        quantity=10,
        specification="Pak 250 g",
        delivery_date=today + datetime.timedelta(days=30),
        seller=_seller(world),
        quotes_due=today + datetime.timedelta(days=7),
        status=status,
    )


def make_quotes_requestforquotation(status, world):
    return _rfq(world, status)


def make_quotes_quote(status, world):
    from quotes.models import Quote

    rfq = _rfq(world)
    return Quote.objects.create(
        rfq=rfq,
        seller=_seller(world),
        unit_price=21000,
        quantity=10,
        lead_time_days=5,
        valid_until=timezone.localdate() + datetime.timedelta(days=14),
        status=status,
        created_by=rfq.created_by,
    )


def make_payments_cardpayment(status, world):
    from payments.models import CardPayment

    return CardPayment.objects.create(
        order=_bare_order(),
        attempt=1,
        payment_intent_id=f"pi_tr_{next(_numbers)}",
        amount=Decimal("115000"),
        status=status,
    )


def make_invoices_invoicecardpayment(status, world):
    from invoices.models import InvoiceCardPayment, InvoiceStatus

    return InvoiceCardPayment.objects.create(
        invoice=make_invoices_invoice(InvoiceStatus.OPEN, world),
        attempt=1,
        payment_intent_id=f"pi_tr_{next(_numbers)}",
        amount=Decimal("115000"),
        status=status,
    )


def make_companies_company(status, world):
    return make_company(status=status)


def make_purchasing_purchaserequest(status, world):
    PurchaseRequest = apps.get_model("purchasing", "PurchaseRequest")
    return PurchaseRequest.objects.create(
        company=make_company(),
        requested_by=make_user(),
        status=status,
        payment_method="invoice",
        shipping_address=make_shipping_address(regions=world["regions"]),
        estimated_total=Decimal("500000"),
    )


def make_payments_cardrefund(status, world):
    from fulfilment.models import SellerOrderStatus
    from payments.models import CardPayment, CardRefund, PaymentIntentStatus

    seller_order = make_fulfilment_sellerorder(SellerOrderStatus.CANCELLED, world)
    payment = CardPayment.objects.create(
        order=seller_order.order,
        attempt=1,
        payment_intent_id=f"pi_tr_{next(_numbers)}",
        amount=Decimal("115000"),
        status=PaymentIntentStatus.SUCCEEDED,
    )
    return CardRefund.objects.create(
        seller_order=seller_order,
        card_payment=payment,
        amount=Decimal("115000"),
        idempotency_key=f"tr-refund-{next(_numbers)}",
        status=status,
    )


def make_midtrans_midtranscharge(status, world):
    from midtrans.models import MidtransCharge

    order = _bare_order()
    return MidtransCharge.objects.create(
        order=order,
        payable_id=order.pk,
        attempt=1,
        midtrans_order_id=f"{order.number}-1",
        method="bca_va",
        amount=Decimal("115000"),
        status=status,
    )


def make_midtrans_midtransrefund(status, world):
    from fulfilment.models import SellerOrderStatus
    from midtrans.models import ChargeStatus, MidtransCharge, MidtransRefund

    seller_order = make_fulfilment_sellerorder(SellerOrderStatus.CANCELLED, world)
    charge = MidtransCharge.objects.create(
        order=seller_order.order,
        payable_id=seller_order.order_id,
        attempt=1,
        midtrans_order_id=f"{seller_order.order.number}-1",
        method="gopay",
        amount=Decimal("115000"),
        status=ChargeStatus.SETTLEMENT,
    )
    return MidtransRefund.objects.create(
        seller_order=seller_order,
        charge=charge,
        amount=Decimal("115000"),
        refund_key=f"tr-mt-refund-{next(_numbers)}",
        status=status,
    )


def make_programme_nomination(status, world):
    from programme.models import MappedPesantren, Nomination

    kecamatan = world["regions"]["kecamatan"][0]
    pesantren = MappedPesantren.objects.create(
        name=f"Pesantren Pemetaan {next(_numbers)}",
        nspp=f"5132{next(_numbers):08d}",
        kabupaten=world["regions"]["kabupaten"],
        kecamatan=kecamatan,
    )
    return Nomination.objects.create(pesantren=pesantren, kecamatan=kecamatan, status=status)


def make_couriers_shipment(status, world):
    from couriers.models import Shipment
    from fulfilment.models import SellerOrderStatus

    part = make_fulfilment_sellerorder(SellerOrderStatus.PACKED, world)
    return Shipment.objects.create(seller_order=part, courier_code="jne", service_code="reg", status=status)


def make_curation_curation(status, world):
    from curation.models import Curation, Rubric

    seller = _seller(world)
    rubric = Rubric.objects.create(version=next(_numbers))
    product = make_seller_product(seller)
    return Curation.objects.create(product=product, seller=seller, rubric=rubric, status=status)


def _competition(world):
    from competitions.models import Competition

    if "competition" not in world:
        world["competition"] = Competition.objects.create(
            name="Lomba Uji", year=2027, opens_on="2027-01-01", closes_on="2027-02-01"
        )
    return world["competition"]


def make_competitions_competition(status, world):
    from competitions.models import Competition

    return Competition.objects.create(
        name=f"Lomba {next(_numbers)}", year=2027, opens_on="2027-01-01", closes_on="2027-02-01", status=status
    )


def make_competitions_round(status, world):
    from competitions.models import Round

    return Round.objects.create(
        competition=_competition(world), name="Babak", position=next(_numbers), advance_count=3, status=status
    )


def make_competitions_entry(status, world):
    from competitions.models import Entry

    seller = _seller(world)
    product = make_seller_product(seller)
    return Entry.objects.create(
        competition=_competition(world), seller=seller, product=product, code=f"E-{next(_numbers)}", status=status
    )


def make_events_registration(status, world):
    from events.models import Event, Registration

    starts = timezone.now() + datetime.timedelta(days=7)
    event = Event.objects.create(
        kind="training",
        title=f"Pelatihan {next(_numbers)}",
        kabupaten=world["regions"]["kabupaten"],
        venue="Aula",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        registration_closes_at=starts - datetime.timedelta(days=1),
        capacity=10,
    )
    return Registration.objects.create(event=event, seller=make_seller(regions=world["regions"]), status=status)


def _factory(model):
    return globals()[f"make_{model._meta.app_label}_{model.__name__.lower()}"]


def _moves():
    return [
        pytest.param(machine.model, source, target, id=f"{_label(machine.model)}:{source}->{target}")
        for machine in machines()
        for source, target in machine.pairs()
    ]


def _refused_moves():
    """For every status, one move its table does not allow."""
    params = []
    for machine in machines():
        statuses = list(machine.transitions)
        for source in statuses:
            refused = [target for target in statuses if not machine.allows(source, target)]
            if refused:
                label = f"{_label(machine.model)}:{source}-x->{refused[0]}"
                params.append(pytest.param(machine.model, source, refused[0], id=label))
    return params


@pytest.fixture
def world(db):
    return {"regions": make_region_tree()}


def test_every_machine_model_has_a_factory():
    missing = [
        _label(machine.model)
        for machine in machines()
        if f"make_{machine.model._meta.app_label}_{machine.model.__name__.lower()}" not in globals()
    ]
    assert missing == []


def _events_of(obj):
    machine = machine_for(obj)
    return machine.event_model.objects.filter(**{machine.event_fk: obj})


@pytest.mark.parametrize(("model", "source", "target"), _moves())
def test_each_allowed_move_changes_the_status_and_writes_one_event(model, source, target, world):
    obj = _factory(model)(source, world)
    actor = make_user()
    before = set(_events_of(obj).values_list("pk", flat=True))

    with transaction.atomic():
        event = transition(obj, target, actor=actor, note="walk")

    obj.refresh_from_db()
    assert getattr(obj, machine_for(model).field) == target
    new = list(_events_of(obj).exclude(pk__in=before))
    assert [e.pk for e in new] == [event.pk]
    assert (new[0].from_status, new[0].to_status, new[0].actor_id) == (source, target, actor.pk)
    assert new[0].kind == machine_for(model).kind_for(target)


@pytest.mark.parametrize(("model", "source", "target"), _refused_moves())
def test_a_refused_move_raises_and_writes_nothing(model, source, target, world):
    obj = _factory(model)(source, world)
    count = _events_of(obj).count()

    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        transition(obj, target, actor=make_user())

    obj.refresh_from_db()
    assert getattr(obj, machine_for(model).field) == source
    assert _events_of(obj).count() == count


@pytest.mark.parametrize("model", [machine.model for machine in machines()], ids=_label)
def test_transition_many_writes_one_event_per_object(model, world):
    machine = machine_for(model)
    source, target = machine.pairs()[0]
    objs = [_factory(model)(source, world) for _ in range(2)]

    events = transition_many(objs, target, actor=None, note="bulk")

    assert len(events) == 2
    for obj in objs:
        obj.refresh_from_db()
        assert getattr(obj, machine.field) == target
        assert list(_events_of(obj).filter(to_status=target).values_list("from_status", flat=True)) == [source]


def test_transition_many_checks_every_move_before_writing(world):
    from fulfilment.models import SellerOrderEvent, SellerOrderStatus

    fine = make_fulfilment_sellerorder(SellerOrderStatus.PENDING_PAYMENT, world)
    shipped = make_fulfilment_sellerorder(SellerOrderStatus.SHIPPED, world)

    with pytest.raises(TransitionNotAllowed):
        transition_many([fine, shipped], SellerOrderStatus.PAID)

    fine.refresh_from_db()
    assert fine.status == SellerOrderStatus.PENDING_PAYMENT
    assert not SellerOrderEvent.objects.filter(seller_order__in=[fine, shipped]).exists()
