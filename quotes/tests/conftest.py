import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Services' messages are asserted in English (the msgids); pages default to Indonesian."""
    with translation.override("en"):
        yield
