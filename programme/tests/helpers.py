"""A small programme world: Kabupaten Sukabumi and Kabupaten Bandung, officers and roles."""

import io

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programme.models import MappedPesantren, ProgrammeRole, RoleKind
from tests.factories import make_region_tree, make_user


def make_areas() -> dict:
    sukabumi = make_region_tree("32.02", "Kabupaten Sukabumi", kecamatan=3)
    bandung = make_region_tree("32.04", "Kabupaten Bandung", kecamatan=2)
    return {"sukabumi": sukabumi, "bandung": bandung}


def make_role(kind: str, *, kabupaten=None, email: str | None = None):
    user = make_user(email)
    ProgrammeRole.objects.create(user=user, kind=kind, kabupaten=kabupaten)
    return user


def make_district_officer(kabupaten, email: str | None = None):
    return make_role(RoleKind.DISTRICT, kabupaten=kabupaten, email=email)


def make_provincial_officer(email: str | None = None):
    user = make_user(email, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_programme", content_type__app_label="programme"))
    return user


def make_mapped(tree: dict, *, index: int = 0, name: str = "Pondok Lele Barokah", nspp: str = "510032020001", **fields):
    kecamatan = tree["kecamatan"][index]
    return MappedPesantren.objects.create(
        name=name, nspp=nspp, kabupaten=tree["kabupaten"], kecamatan=kecamatan, **fields
    )


def photo_upload(name: str = "kunjungan.jpg", *, size=(400, 300), image_format: str = "JPEG"):
    """An uploaded photo as a phone camera sends it (JPEG by default)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")
