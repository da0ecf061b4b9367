"""What the bytes of an upload are, found by reading them: never the client's word.

Images are opened by Pillow with its decompression-bomb limit kept (and its warning band
refused too), their metadata (EXIF, GPS included; text chunks) dropped by writing the pixels
again, and their thumbnails made here for the worker (``files/tasks.py``).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError, WebPImagePlugin  # noqa: F401 (registers WEBP)

from core.errors import invalid

# Formats served inline (as themselves): raster images a browser never runs. Anything else,
# SVG included, is served as an attachment (files/views.py).
INLINE_FORMATS = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
INLINE_MIME_TYPES = frozenset(INLINE_FORMATS.values())
THUMB_SQUARE = 200  # image_thumb_200s: the centre square, 200×200
THUMB_BOX = (640, 960)  # image_thumb_960r: the whole image within 640×960


@dataclass(frozen=True)
class Content:
    data: bytes
    mime_type: str
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.width is not None


def _open(data: bytes) -> Image.Image | None:
    """The image, or None when the bytes are no image Pillow knows; a bomb is refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise invalid(
            "The image has too many pixels to be processed "
            f"(the limit is {Image.MAX_IMAGE_PIXELS} pixels)."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return None
    return image


def _strip(image: Image.Image, fmt: str) -> bytes:
    """The pixels written again without metadata; orientation applied first, since the EXIF
    that said how to turn the picture goes with the rest."""
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    params: dict = {}
    if fmt == "JPEG":
        params = {"quality": 95}
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
    elif fmt == "GIF":
        params = {"save_all": getattr(image, "n_frames", 1) > 1}
    image.save(out, format=fmt, **params)
    return out.getvalue()


def may_be_inline_image(head: bytes) -> bool:
    """Whether bytes starting so may be one of the formats served inline, asked of Pillow's own
    plugins (what ``Image.open`` asks them of a file's first 16 bytes): bytes that may not are
    never opened as an image, and are stored as they came. Only those plugins are loaded, not
    Pillow's forty (``Image.init``), which a worker's first upload would otherwise wait for."""
    Image.preinit()  # PNG, JPEG and GIF; WebP registered by its import above
    for fmt in INLINE_FORMATS:
        accept = Image.OPEN[fmt][1] if fmt in Image.OPEN else None
        if accept is None or accept(head):
            return True
    return False


def opaque_mime_type(head: bytes) -> str:
    """What bytes that are no image are served as: PDF by its signature, else opaque."""
    return "application/pdf" if head.startswith(b"%PDF-") else "application/octet-stream"


def inspect(data: bytes) -> Content:
    """The upload as it will be stored: an image of a plain format without its metadata, or
    anything else as opaque bytes (``application/octet-stream``, or PDF by its signature)."""
    image = _open(data)
    if image is None or image.format not in INLINE_FORMATS:
        return Content(data, opaque_mime_type(data))
    fmt = image.format
    clean = _strip(image, fmt)
    width, height = Image.open(io.BytesIO(clean)).size
    return Content(clean, INLINE_FORMATS[fmt], width, height)


@dataclass(frozen=True)
class Thumbnail:
    key: str
    data: bytes
    mime_type: str
    width: int
    height: int


def thumbnails(data: bytes) -> list[Thumbnail]:
    """App.net's two derived images of an image; none of anything else."""
    image = _open(data)
    if image is None or image.format not in INLINE_FORMATS:
        return []
    fmt = "JPEG" if image.format == "JPEG" else "PNG"
    image = image.convert("RGB") if fmt == "JPEG" else image.convert("RGBA")
    made = []
    square = ImageOps.fit(image, (THUMB_SQUARE, THUMB_SQUARE), Image.Resampling.LANCZOS)
    boxed = image.copy()
    boxed.thumbnail(THUMB_BOX, Image.Resampling.LANCZOS)
    for key, thumb in (("image_thumb_200s", square), ("image_thumb_960r", boxed)):
        out = io.BytesIO()
        thumb.save(out, format=fmt)
        made.append(Thumbnail(key, out.getvalue(), INLINE_FORMATS[fmt], *thumb.size))
    return made
