"""QRIS payloads (EMVCo merchant-presented QR, as Bank Indonesia's QRIS standard) and their images.

A real QRIS `qr_string` is a list of tag-length-value fields ending in a CRC-16/CCITT checksum.
The ones built here follow that layout, so a QRIS reader accepts their syntax; the merchant IDs
are fictitious. Images are PNGs written with zlib from the QR matrix of reportlab's encoder
(reportlab is already a project dependency), so no QR package is added. The transaction id rides
in the reference-label field (62.05), which is how the simulator finds the charge when a demo
user pastes a QR string.
"""

from __future__ import annotations

import struct
import zlib

MERCHANT_NAME = "PASAR PESANTREN"
MERCHANT_CITY = "BANDUNG"


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"QRIS field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF), as four upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def build_qr_string(*, transaction_id: str, gross_amount: int, acquirer: str = "gopay") -> str:
    """A dynamic QRIS payload for one charge of `gross_amount` rupiah."""
    global_id = "COM.GO-JEK.WWW" if acquirer == "gopay" else "ID.CO.SHOPEE.WWW"
    merchant_account = _field("00", global_id) + _field("01", "936009140000000001") + _field("02", "G000000001")
    qris_account = _field("00", "ID.CO.QRIS.WWW") + _field("02", "ID1026000000001") + _field("03", "UMI")
    additional = _field("05", transaction_id.replace("-", "")[:25])
    payload = (
        _field("00", "01")
        + _field("01", "12")  # 12: dynamic, for one payment
        + _field("26", merchant_account)
        + _field("51", qris_account)
        + _field("52", "5499")  # merchant category: miscellaneous food stores
        + _field("53", "360")  # IDR
        + _field("54", str(int(gross_amount)))
        + _field("58", "ID")
        + _field("59", MERCHANT_NAME)
        + _field("60", MERCHANT_CITY)
        + _field("61", "40111")
        + _field("62", additional)
        + "6304"
    )
    return payload + crc16_ccitt(payload)


def parse_qr_string(qr_string: str) -> dict[str, str]:
    """The top-level fields of a QRIS payload by tag (62's reference label as "62.05").

    Raises ValueError when the syntax or the checksum is wrong.
    """
    text = qr_string.strip()
    if len(text) < 8 or text[-8:-4] != "6304" or crc16_ccitt(text[:-4]) != text[-4:].upper():
        raise ValueError("not a QRIS payload, or its checksum is wrong")
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        tag, length = text[position : position + 2], text[position + 2 : position + 4]
        if not length.isdigit():
            raise ValueError("malformed QRIS field")
        value = text[position + 4 : position + 4 + int(length)]
        fields[tag] = value
        position += 4 + int(length)
    if "62" in fields:
        inner = fields["62"]
        cursor = 0
        while cursor + 4 <= len(inner):
            tag, length = inner[cursor : cursor + 2], int(inner[cursor + 2 : cursor + 4])
            fields[f"62.{tag}"] = inner[cursor + 4 : cursor + 4 + length]
            cursor += 4 + length
    return fields


def qr_modules(content: str) -> list[list[bool]]:
    """The QR code matrix of `content` (error correction M), from the QR encoder shipped with reportlab."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    widget = QrCodeWidget(content, barLevel="M")
    widget.qr.make()
    return [[bool(module) for module in row] for row in widget.qr.modules]


def qr_png(content: str, *, scale: int = 8, border: int = 4) -> bytes:
    """A PNG image (8-bit grey, black on white) of a QR code holding `content`."""
    modules = qr_modules(content)
    size = (len(modules) + 2 * border) * scale
    blank = b"\x00" + b"\xff" * size  # filter byte 0, then white pixels
    rows = [blank] * (border * scale)
    for row in modules:
        pixels = b"\xff" * (border * scale)
        pixels += b"".join((b"\x00" if dark else b"\xff") * scale for dark in row)
        pixels += b"\xff" * (border * scale)
        rows += [b"\x00" + pixels] * scale
    rows += [blank] * (border * scale)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
