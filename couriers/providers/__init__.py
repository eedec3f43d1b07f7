"""Shipping providers behind one interface: the pesantren's own rate table and a courier aggregator.

`rate_table.RateTableProvider` prices from the pesantren's zone table (shipping/), always answers
and books nothing: the pesantren types its airway bill by hand. `biteship.BiteshipProvider` quotes
courier services, books courier orders and reads tracking through Biteship's HTTP API (or the
local server in localservers/biteship/). `aggregator()` is the configured one, or None.
"""

from django.conf import settings

from couriers.providers.base import ProviderError, Quote  # noqa: F401


def aggregator():
    """The courier aggregator provider, or None when none is configured (BITESHIP_API_URL unset)."""
    if not settings.BITESHIP_API_URL:
        return None
    from couriers.providers.biteship import BiteshipProvider

    return BiteshipProvider.from_settings()
