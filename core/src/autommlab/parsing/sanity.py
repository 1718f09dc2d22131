"""Quantities the offline parser must refuse rather than drop: negative, zero, absurd.

``check_text(text)`` runs on the normalised text before numbers are read (the
number reader skips a minus sign, which would silently lose a requirement;
exponent forms such as "3e6 parameters" are read as numbers and range-checked
like any other); ``check_request(payload)`` runs on the parse before it becomes a
``Request``. Both raise ``RequestError`` quoting the value and saying what
range makes sense.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import RequestError
from ..schemas import as_fraction

_UNIT = (r"(?:%|percent\b|fps\b|frames?\b|ms\b|msec|millisec|µs|us\b|s\b|secs?\b|seconds?\b|min\b|minutes?\b|"
         r"h\b|hours?\b|[kmgt]?flops\b|[kmgt]?macs\b|params?\b|parameters?\b|[kmbt]\b|million\b|billion\b)")
_NEGATIVE = re.compile(r"(?<![\w.)\]/-])-(\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(" + _UNIT + ")", re.I)

MAX_FPS = 100_000.0  # 10 microseconds per image
MIN_FPS = 1 / 86400.0  # one image (a whole video, a mosaic) a day
MAX_PARAMS_M = 1e6  # a trillion parameters
MAX_FLOPS_G = 1e6  # a PetaFLOP per image
_TO_FPS = {"fps": lambda v: v, "ms": lambda v: 1e3 / v, "s": lambda v: 1 / v, "min": lambda v: 1 / (60 * v),
           "h": lambda v: 1 / (3600 * v)}
_TO_M = {"K": 1e-3, "M": 1.0, "B": 1e3}
_TO_G = {"FLOPs": 1e-9, "MFLOPs": 1e-3, "GFLOPs": 1.0, "TFLOPs": 1e3}


def check_text(text: str) -> None:
    """RequestError for a negative quantity ("-5 fps")."""
    m = _NEGATIVE.search(text)
    if m:
        raise RequestError(f"negative quantity '-{m.group(1)} {m.group(2)}': speeds, sizes and metric targets "
                           "are positive numbers")


def check_request(payload: dict[str, Any]) -> None:
    """RequestError for a stated limit of zero or an absurd one, or a metric target outside (0, 100%]."""
    model = payload["model"]
    sp = model["speed"]
    if sp["unit"] != "none":
        if sp["value"] <= 0:
            raise RequestError(f"speed {sp['value']:g} {sp['unit']}: a speed requirement must be above zero")
        if sp["unit"] in _TO_FPS:
            fps = _TO_FPS[sp["unit"]](sp["value"])
            if not MIN_FPS <= fps <= MAX_FPS:
                raise RequestError(f"speed {sp['value']:g} {sp['unit']} is {fps:.3g} images per second, outside "
                                   f"the range a vision model can be asked for ({MIN_FPS:.2g} to {MAX_FPS:g})")
    for key, table, top, unit_name in (("parameters", _TO_M, MAX_PARAMS_M, "M parameters"),
                                       ("flops", _TO_G, MAX_FLOPS_G, "GFLOPs")):
        q = model[key]
        if q["unit"] == "none":
            continue
        if q["value"] <= 0:
            raise RequestError(f"{key} limit {q['value']:g} {q['unit']}: no model has zero {key}; "
                               "state a positive limit or none")
        scaled = q["value"] * table[q["unit"]]
        if scaled > top:
            raise RequestError(f"{key} limit {q['value']:g} {q['unit']} ({scaled:.3g} {unit_name}) is absurd "
                               f"(above {top:g} {unit_name})")
    for m in model["metrics"]:
        v = m["value"]
        if v <= 0:
            raise RequestError(f"metric target {m['name']} {v:g}: a target must be above zero")
        if as_fraction(v) > 1:
            raise RequestError(f"metric target {m['name']} {v:g} is above 100%")
