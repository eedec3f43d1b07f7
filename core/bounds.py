"""The range each database column holds, so forms, serializers and importers refuse what cannot be saved.

A number past its column's range is a DataError at save time, a 500 instead of a form error. Every
number typed by a user (money, quantities, days, grams) is bounded here by the column it lands in.
"""

from decimal import Decimal

from django.db import connection, models

# PostgreSQL's integer, the column of PositiveIntegerField and IntegerField.
MAX_INTEGER = 2_147_483_647


def column_range(model: type[models.Model], field_name: str) -> tuple[int | Decimal | None, int | Decimal | None]:
    """(smallest, largest) value the column of `model.field_name` holds; None where it is unbounded."""
    field = model._meta.get_field(field_name)
    if isinstance(field, models.DecimalField):
        largest = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(10) ** -field.decimal_places
        return -largest, largest
    if isinstance(field, models.IntegerField):
        return connection.ops.integer_field_range(field.get_internal_type())
    raise TypeError(f"{model.__name__}.{field_name} is not a number column")


def column_max(model: type[models.Model], field_name: str) -> int | Decimal:
    return column_range(model, field_name)[1]


def fits_column(value, model: type[models.Model], field_name: str) -> bool:
    smallest, largest = column_range(model, field_name)
    return (smallest is None or value >= smallest) and (largest is None or value <= largest)


def whole_max(model: type[models.Model], field_name: str) -> int:
    """The largest whole number the column holds: the bound of a rupiah or quantity typed without cents."""
    return int(column_max(model, field_name))
