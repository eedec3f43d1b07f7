import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages(settings):
    """The tests read messages in English (the msgids); pages and clients default to Indonesian."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
