"""Every number a user types is bounded by the column it is saved in.

A number past its column's range is a DataError at save time: a 500 instead of a form error. The
fuzz test (tests/test_fuzz_inputs.py) sends 40-digit numbers into every form, but a bounded field
next to an unbounded one would mask the second there; this test checks every field on its own.
"""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from rest_framework import serializers

from core.bounds import MAX_INTEGER, column_max, whole_max

PROJECT = Path(settings.BASE_DIR)
PROJECT_APPS = sorted(
    path.parent.name for path in PROJECT.glob("*/apps.py") if path.parent.name not in {"marketplace", "tests"}
)


def project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".tests" in info.name or ".migrations" in info.name or info.name.endswith("tests"):
                continue
            if info.name.rpartition(".")[2] in ("forms", "serializers") or "_forms" in info.name:
                yield importlib.import_module(info.name)


def declared_number_fields():
    """(owner, name, field) of every number field declared on a project form or writable serializer."""
    for module in project_modules():
        for _name, owner in inspect.getmembers(module, inspect.isclass):
            if owner.__module__ != module.__name__:
                continue
            if issubclass(owner, forms.BaseForm):
                for name, field in owner.base_fields.items():
                    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                        yield owner, name, field
            elif issubclass(owner, serializers.Serializer) and owner.__name__ in INPUT_SERIALIZERS:
                yield from serializer_number_fields(owner, owner())


# Serializers that read input: those the project builds with data=…, and the ones nested in them.
INPUT_SERIALIZERS = {
    match for path in PROJECT.glob("*/*.py") for match in re.findall(r"(\w+Serializer)\(data=", path.read_text())
}


def serializer_number_fields(owner, serializer):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        child = getattr(field, "child", field)
        if isinstance(child, serializers.Serializer):
            yield from serializer_number_fields(owner, child)
        elif isinstance(child, serializers.IntegerField | serializers.DecimalField):
            yield owner, name, child


def model_column_bound(owner, name):
    """A ModelForm field saved to a number column is bounded by the column's validators, which
    ModelForm runs in _post_clean (Django gives every IntegerField its database range)."""
    if not issubclass(owner, forms.BaseModelForm) or "_post_clean" in vars(owner):
        return None
    try:
        model_field = owner._meta.model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a form-only field
        return None
    bounds = [v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator)]
    if getattr(model_field, "max_digits", None):
        bounds.append(10 ** (model_field.max_digits - model_field.decimal_places))
    return min(bounds) if bounds else None


def upper_bound(field):
    if isinstance(field, forms.DecimalField | serializers.DecimalField) and field.max_digits is not None:
        return 10 ** (field.max_digits - (field.decimal_places or 0))
    bounds = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    if getattr(field, "max_value", None) is not None:
        bounds.append(field.max_value)
    return min(bounds) if bounds else None


def test_the_project_declares_number_fields_to_check():
    assert len(list(declared_number_fields())) >= 15


@pytest.mark.parametrize(
    ("owner", "name", "field"),
    list(declared_number_fields()),
    ids=lambda value: getattr(value, "__qualname__", value) if not isinstance(value, forms.Field) else "",
)
def test_every_typed_number_has_an_upper_bound_its_column_can_hold(owner, name, field):
    bound = upper_bound(field) or model_column_bound(owner, name)
    assert bound is not None, f"{owner.__qualname__}.{name} has no upper bound"
    # No column of ours is wider than PostgreSQL's bigint.
    assert bound <= 9_223_372_036_854_775_807, f"{owner.__qualname__}.{name}"


def test_column_bounds_follow_the_model_fields():
    from companies.models import Company
    from payments.models import CardRefund
    from wholesale.models import PriceTier

    assert whole_max(PriceTier, "unit_price") == MAX_INTEGER
    assert whole_max(Company, "approval_threshold") == 9_223_372_036_854_775_807
    # max_digits=14, decimal_places=2: twelve whole digits.
    assert whole_max(CardRefund, "amount") == 999_999_999_999
    assert (
        column_max(CardRefund, "amount") == 999_999_999_999.99
        or str(column_max(CardRefund, "amount")) == "999999999999.99"
    )
