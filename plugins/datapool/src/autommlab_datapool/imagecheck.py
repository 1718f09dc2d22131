"""Checks on the files a dataset names: paths stay inside the dataset, images decode, masks fit.

In: paths as written in list files / annotation json, image and mask files.
Out: the resolved path or decoded size; ``DataError`` naming the file (and
where it was listed) otherwise. ``link_checked`` is what the subset writers
use for every image they link: decode, then link (``fsutil.link_file``).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from autommlab import faults
from autommlab.errors import DataError

from .fsutil import link_file


def inside(root: Path, rel: str, where: str) -> Path:
    """``root / rel`` for a relative path written in a dataset file; DataError if it leaves ``root``.

    ``where`` names the file (and line or item) the path was read from. Absolute
    paths and ``..`` components are refused: a list or annotation file may only
    name files under its dataset (symlinks the user made inside it are followed).
    """
    if not isinstance(rel, str) or not rel.strip():
        raise DataError(f"{where}: file name {rel!r} is not a non-empty string")
    p = PurePosixPath(rel.replace("\\", "/"))
    if p.is_absolute() or PureWindowsPath(rel).drive or ".." in p.parts:
        raise DataError(f"{where}: path {rel!r} escapes the dataset root {root} (absolute or '..'); "
                        "paths in list and annotation files must be relative and stay inside the dataset")
    return Path(root) / p


def image_size(path: Path, where: str) -> tuple[int, int]:
    """(width, height) of ``path`` after decoding every pixel; DataError for truncated or non-image files."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            im.load()  # the full decode: a truncated JPEG fails here, not in the middle of training
            return im.size
    except FileNotFoundError as e:
        raise DataError(f"{where}: image {path} not found") from e
    except Exception as e:  # PIL raises OSError, SyntaxError, ValueError, DecompressionBombError, ...
        raise DataError(f"{where}: image {path} cannot be decoded ({type(e).__name__}: {e}); "
                        "truncated, corrupt or not an image") from e


def header_size(path: Path, where: str) -> tuple[int, int]:
    """(width, height) from the image header only (cheap); DataError when it cannot be read."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return im.size
    except Exception as e:  # noqa: BLE001 - PIL's error types vary by format
        raise DataError(f"{where}: image {path} cannot be read ({type(e).__name__}: {e})") from e


def check_mask_size(image: Path, mask: Path, where: str = "") -> None:
    """DataError when ``mask`` and ``image`` differ in size (a mask must label every pixel of its image)."""
    iw, ih = header_size(image, where or str(image))
    mw, mh = header_size(mask, where or str(mask))
    if (iw, ih) != (mw, mh):
        raise DataError(f"{(where + ': ') if where else ''}mask {mask} is {mw}x{mh} but its image {image} is "
                        f"{iw}x{ih} (width x height); a mask must have its image's size")


def link_checked(src: Path, dst: Path, where: str, expect_wh: tuple[int, int] | None = None) -> None:
    """Decode ``src`` (and compare its size with ``expect_wh`` when the annotation states one), then link it."""
    w, h = image_size(src, where)
    if expect_wh is not None and all(expect_wh) and (w, h) != tuple(expect_wh):
        raise DataError(f"{where}: image {src} is {w}x{h} but the annotation says {expect_wh[0]}x{expect_wh[1]} "
                        "(width x height); boxes and masks would not fit it")
    link_file(src, dst)
    faults.point("datapool:link")
