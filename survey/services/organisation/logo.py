"""Check an uploaded logo by its content: a whole PNG or JPEG of sensible size, nothing else.

The file name and the browser's content type are not believed: the bytes decide. A PNG must
have its signature, an IHDR chunk first, every chunk's CRC right and IEND last; a JPEG must
start with SOI, have a frame header (SOF) with its size before the scan and end with EOI. SVG
is refused whatever it holds: it is a document that can carry script, and a PNG or JPEG of a
logo is always at hand. The logo is then served as the type found here (never sniffed).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from flask_babel import gettext as _

from survey.services.errors import DomainError

#: The largest logo file accepted: a logo of a few hundred pixels is far smaller.
MAX_BYTES = 256 * 1024
#: The largest width or height in pixels.
MAX_SIDE = 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Start-of-frame markers (C0-CF except DHT C4, JPG C8 and DAC CC) carry the image's size.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


@dataclass(frozen=True)
class Logo:
    """An accepted logo: its bytes, media type and size in pixels."""

    data: bytes
    media_type: str
    width: int
    height: int


def check_logo(data: bytes) -> Logo:
    """Return the logo if the bytes are a whole PNG or JPEG within the limits; DomainError
    (field "logo", in the user's language) otherwise."""
    if not data:
        raise _refused(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _refused(_("The file is too large: at most %(kb)s kB.", kb=MAX_BYTES // 1024))
    if data.startswith(PNG_SIGNATURE):
        width, height = _png_size(data)
        media_type = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data)
        media_type = "image/jpeg"
    elif _looks_like_svg(data):
        raise _refused(
            _("SVG files are not accepted, as they can hold script. Upload a PNG or JPEG.")
        )
    else:
        raise _refused(_("The file is not a PNG or JPEG image."))
    if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
        raise _refused(_("The image must be at most %(n)s pixels wide and high.", n=MAX_SIDE))
    return Logo(data, media_type, width, height)


def _refused(message: str) -> DomainError:
    return DomainError(message, field="logo")


def _broken() -> DomainError:
    return _refused(_("The image file is damaged or incomplete."))


def _png_size(data: bytes) -> tuple[int, int]:
    """Walk every chunk: IHDR first (its size), each CRC right, IEND last and at the end."""
    position, size, first = len(PNG_SIGNATURE), None, True
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            break
        body = data[position + 8 : end - 4]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc or (first and (kind != b"IHDR" or length != 13)):
            raise _broken()
        if first:
            size = struct.unpack(">II", body[:8])
            first = False
        if kind == b"IEND":
            if end != len(data) or size is None:
                raise _broken()
            return size
        position = end
    raise _broken()


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Walk the segments up to the scan: a frame header (SOF) gives the size; EOI ends it."""
    position, size = 2, None
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise _broken()
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            raise _broken()
        if marker in _SOF:
            if length < 7:
                raise _broken()
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: the compressed image follows, then EOI
            if size is None or not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
                raise _broken()
            return size
        position += 2 + length
    raise _broken()


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) and b"<svg" in head
