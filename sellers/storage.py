from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Applicants' documents never sit under MEDIA_ROOT: only the review dashboard serves them."""
    return FileSystemStorage(location=settings.MARKETPLACE_PRIVATE_MEDIA_ROOT, base_url=None)
