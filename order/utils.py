from collections import defaultdict
from dataclasses import dataclass
from types import FunctionType

from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderDispatcher, OrderNumberGenerator  # noqa: F401
from oscar.core.loading import get_model

from order.stock import reserve_stock
from sellers.availability import lock_sellers_taking_orders

Line = get_model("order", "Line")
LinePrice = get_model("order", "LinePrice")
LineAttribute = get_model("order", "LineAttribute")


class OrderCreator(OscarOrderCreator):
    """Oscar's OrderCreator, for every way an order is placed (consumer checkout and, through
    `CompanyOrderCreator`, every company order): Oscar's `place_order` runs unchanged, and two hooks
    add what Oscar lacks, the pesantren-still-selling check and a stock reservation that cannot oversell.
    """

    def create_order_model(self, user, basket, *args, **kwargs):
        """The order row, once every pesantren of the basket is checked, under a share lock, to take orders.

        The first write of placing an order, inside its transaction: a pesantren suspended since its
        products went into the basket refuses the whole order here, before any line or stock
        reservation is written.
        """
        self._stock_reserved = False
        lock_sellers_taking_orders(
            partner_ids=[line.stockrecord.partner_id for line in basket.all_lines() if line.stockrecord_id]
        )
        order = super().create_order_model(user, basket, *args, **kwargs)
        # The shipping method writes each pesantren's chosen courier service and price with the order
        # (shipping.methods.PerPesantrenShipping), before order_placed splits it into parts.
        shipping_method = kwargs.get("shipping_method", args[1] if len(args) > 1 else None)
        record = getattr(shipping_method, "record_for_order", None)
        if record is not None:
            record(order, basket)
        return order

    def update_stock_records(self, line):
        """Reserve the stock of the whole basket at Oscar's first call, or refuse the whole order.

        Oscar's place_order calls this once per line, after every line is written, and its allocate()
        adds to num_allocated unconditionally, so two customers could both buy the last item. Here
        the first call hands every line of the basket to `order.stock.reserve_stock`, which locks the
        stock records in pk order, refuses the order if any line no longer fits, and writes them all
        in one statement; the calls for the other lines have nothing left to do.
        """
        if getattr(self, "_stock_reserved", False):
            return
        reserve_stock(list(line.basket.all_lines()))
        self._stock_reserved = True


class CollectedLineRows:
    """The rows Oscar's line hooks create for one order, inserted later with one statement per table.

    `oscar_create_line_models` is Oscar's own `OrderCreator.create_line_models`, with only the name
    `Line` in its globals bound to a collector whose `_default_manager.create(**fields)` returns the
    unsaved Line: Oscar's field mapping is used as it is, not copied. Oscar's price and attribute
    hooks write through `order_line.prices.create` and `order_line.attributes.create`; they are
    handed `line(order_line)`, whose two managers collect the rows the same way. Built for each
    order, so concurrent placements never share a collector. `tests/test_order_creators.py` checks
    that the result is, column by column, what Oscar's own per-row writes give.
    """

    def __init__(self):
        self.lines: list = []
        self.rows: dict[type, list] = defaultdict(list)
        self.after_insert: list = []
        oscar_hook = OscarOrderCreator.create_line_models
        collector = _Collector(Line, self.lines)
        self.oscar_create_line_models = FunctionType(
            oscar_hook.__code__,
            {**oscar_hook.__globals__, "Line": collector},
            oscar_hook.__name__,
            oscar_hook.__defaults__,
            oscar_hook.__closure__,
        )

    def line(self, order_line):
        return _CollectingLine(
            prices=_Collector(LinePrice, self.rows[LinePrice], line=order_line),
            attributes=_Collector(LineAttribute, self.rows[LineAttribute], line=order_line),
        )

    def insert(self) -> None:
        if not self.lines:
            return
        # In basket order, so that line pks keep the order the buyer saw, as Oscar's do.
        Line._default_manager.bulk_create(self.lines)
        for model, rows in self.rows.items():
            model._default_manager.bulk_create(rows)
        for write in self.after_insert:
            write()
        self.lines, self.rows, self.after_insert = [], defaultdict(list), []


class _Collector:
    """Stands for `model._default_manager` (or a line's related manager): `create` collects, unsaved."""

    def __init__(self, model, rows, **fixed):
        self.model, self.rows, self.fixed = model, rows, fixed

    @property
    def _default_manager(self):
        return self

    def create(self, **fields):
        row = self.model(**self.fixed, **fields)
        self.rows.append(row)
        return row


@dataclass(frozen=True)
class _CollectingLine:
    prices: _Collector
    attributes: _Collector
