"""Numbers in request text: spelled-out quantities, units, percentages.

``spell_out_numbers(text)`` rewrites "half a second", "a tenth of a second",
"thirty frames per second" into digits (only where a unit follows, so "one
or two cars" is left alone). ``find_numbers(text, masked)`` returns every
number with the unit written after it, classified as speed, FLOPs,
parameters, percent, a magnitude waiting for context ("5M"), or bare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SMALL = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
          "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALE = {"hundred": 100, "thousand": 1000}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1, "hundredth": 0.01}

# units that make a spelled-out number a quantity worth rewriting
_UNIT_AHEAD = (r"(?:milli)?seconds?|ms\b|secs?\b|minutes?|hours?|frames?|fps|images?\s+(?:per|a)\s+second|"
               r"percent|%|million|billion|thousand|(?:k|m|g|t)?flops?\b|(?:kilo|mega|giga|tera)[-\s]?flops?\b|"
               r"parameters|params")
_NUMWORD = "|".join(sorted(list(_SMALL) + list(_SCALE), key=len, reverse=True))
# not after a digit: "300 thousand" is read as a magnitude later
_WORDS_RE = re.compile(rf"(?<!\d )\b((?:(?:{_NUMWORD})(?:[\s-]+(?:and[\s-]+)?)?)+)(?=\s*(?:{_UNIT_AHEAD}))", re.I)
_FRACTION_RE = re.compile(
    r"\b(?:(?P<num>a|one|two|three|four|five|six|seven|eight|nine)\s+)?(half|third|quarter|fifth|tenth|hundredth)s?"
    r"\s+(?:of\s+)?(?:a|an|one)\s+"
    r"(?=(?:milli)?second|minute|hour|million|billion|thousand|(?:kilo|mega|giga|tera)[-\s]?flop|[kmgt]flop)", re.I)
# "a million parameters", "one gigaflop": the article is the number one
_ONE_SCALE_RE = re.compile(r"\b(?:a|one)\s+(?=(?:million|billion|thousand)\s+(?:parameters|params|weights|flops?|"
                           r"operations|multiply)\b|(?:kilo|mega|giga|tera)[-\s]?flops?\b|[kmgt]flops?\b)", re.I)
_ONE_UNIT_RE = re.compile(r"\b(within|in|under|below|than|per|every|about|around|roughly|at\s+most)\s+(?:a|an|one)\s+"
                          r"(?=(?:milli)?second\b|minute\b|hour\b)", re.I)
# "Speed hardly matters: a minute per image at most": one unit of time per item
_ONE_UNIT_PER_RE = re.compile(r"((?:^|[:;,.(]|\bis|\btake|\btakes)\s*)(?:a|an|one)\s+(?=(?:(?:milli)?second|minute|hour)\s+"
                              r"(?:per|a|an|each|for)\b)", re.I)


def _words_value(words: str) -> float | None:
    total, current = 0, 0
    seen = False
    for w in re.split(r"[\s-]+", words.lower()):
        if not w or w == "and":
            continue
        if w in _SMALL:
            current += _SMALL[w]
            seen = True
        elif w == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif w == "thousand":
            total += max(current, 1) * 1000
            current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def _fmt(v: float) -> str:
    return f"{v:g}"


_HALF_UNIT_RE = re.compile(r"\b(?:a|one)\s+half[-\s](?=(?:milli)?seconds?\b|minutes?\b|hours?\b)", re.I)  # "a half second"
_AND_A_HALF_RE = re.compile(rf"\b(\d+|{_NUMWORD})\s+and\s+a\s+half\b(?=\s*(?:{_UNIT_AHEAD}))", re.I)
_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9"}
_POINT_RE = re.compile(rf"\b({_NUMWORD}|\d+)\s+point((?:\s+(?:{'|'.join(_DIGIT_WORDS)}))+)\b", re.I)  # "one point five"


_BARE_POINT_RE = re.compile(rf"(?<![\w.])(?<!\d\s)point((?:\s+(?:{'|'.join(_DIGIT_WORDS)}))+)\b", re.I)


def _fraction(m: re.Match[str]) -> str:
    num = m.group("num")
    n = 1 if not num or num.lower() in ("a", "one") else _SMALL[num.lower()]
    return _fmt(round(n * _FRACTIONS[m.group(2).lower()], 6)) + " "


def _point(m: re.Match[str]) -> str:
    whole = m.group(1)
    whole = whole if whole.isdigit() else _fmt(_words_value(whole) or 0)
    return whole + "." + "".join(_DIGIT_WORDS[w.lower()] for w in m.group(2).split())


def _and_a_half(m: re.Match[str]) -> str:
    whole = m.group(1)
    v = float(whole) if whole.isdigit() else _words_value(whole)
    return m.group(0) if v is None else _fmt(v + 0.5)


def spell_out_numbers(text: str) -> str:
    """Digits for spelled-out quantities followed by a unit; other words are kept."""
    text = _POINT_RE.sub(_point, text)
    # "point seven or better": a fraction said without its leading zero
    text = _BARE_POINT_RE.sub(lambda m: "0." + "".join(_DIGIT_WORDS[w.lower()] for w in m.group(1).split()), text)
    text = _AND_A_HALF_RE.sub(_and_a_half, text)
    text = _HALF_UNIT_RE.sub("0.5 ", text)
    text = _FRACTION_RE.sub(_fraction, text)
    text = _ONE_UNIT_RE.sub(lambda m: m.group(1) + " 1 ", text)
    text = _ONE_UNIT_PER_RE.sub(lambda m: m.group(1) + "1 ", text)
    text = _ONE_SCALE_RE.sub("1 ", text)

    def words(m: re.Match[str]) -> str:
        raw = m.group(1)
        v = _words_value(raw.strip(" -"))
        return raw if v is None else _fmt(v) + (" " if raw.endswith((" ", "-")) else "")

    text = _WORDS_RE.sub(words, text)
    return _CORRECTED_WORDS_RE.sub(lambda m: m.group(1) + (words(m2) if (m2 := _WORDS_ANY_RE.match(m.group(2))) else m.group(2)),
                                   text)


# "fifteen frames a second, make that twenty": the corrected number has its unit in the earlier mention
_WORDS_ANY_RE = re.compile(rf"((?:(?:{_NUMWORD})(?:[\s-]+(?:and[\s-]+)?)?)+)", re.I)
_CORRECTED_WORDS_RE = re.compile(rf"(\b(?:make\s+(?:that|it)|i\s+mean|or\s+rather|no\s+wait|sorry|actually)\s*,?\s+)"
                                 rf"((?:(?:{_NUMWORD})(?:[\s-]+(?:and[\s-]+)?)?)+)\b(?![\s-]*(?:of|[a-z]+s)\b)", re.I)


# ----------------------------------------------------------------------------- numbers with units

# "3D", "2D" are not numbers
NUM_RE = re.compile(r"(?<![\w.\-/@])(\d+(?:\.\d+)?[eE][+-]?\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+)(?![\d])"
                    r"(?![dD](?:\b|-))")  # "3e6 parameters"

_SPEED = (
    (r"(?:ms|msec|msecs|millisec(?:ond)?s?)\b", "ms"),
    (r"(?:µs|us|microsec(?:ond)?s?)\b", "us"),
    (r"(?:fps|(?:frames?|images?|imgs?|pictures?|photos?|inferences?|predictions?|samples?|"
     r"(?!(?:meters|metres|kilometers|kilometres|miles|feet|inches|yards|knots)\b)[a-z]{3,}s)\s*"
     r"(?:per|/|a|an|each|every|in\s+(?:a|one|1|each)?)\s*(?:second|sec|s)\b|hz\b)", "fps"),
    (r"(?:s|sec|secs|seconds?)\b", "s"),
    (r"(?:min|mins|minutes?)\b", "min"),
    (r"(?:h|hr|hrs|hours?)\b", "h"),
)
_SPEED_RES = tuple((re.compile(r"\s*" + p, re.I), u) for p, u in _SPEED)
_MAGNITUDE_RE = re.compile(r"\s*(k|m|b|g|t|thousand|million|mil|billion|bn|trillion)s?(?![a-z])", re.I)
_FLOPS_RE = re.compile(r"[-\s]*(?:(k|m|g|t|kilo|mega|giga|tera)[-\s]?)?flops?\b|[-\s]*(k|m|g|t)?macs?\b", re.I)
_PARAMS_RE = re.compile(r"[-\s]*(?:trainable\s+|learnable\s+|model\s+)?(?:parameters|parameter|params|param|weights)\b", re.I)
_PERCENT_RE = re.compile(r"\s*(?:%|percent\b|per\s+cent\b|pct\b)", re.I)
_MAG_TO = {"k": "K", "thousand": "K", "m": "M", "million": "M", "mil": "M", "b": "B", "billion": "B", "bn": "B",
           "g": "B", "t": "T", "trillion": "T"}
_FLOPS_PREFIX = {None: "FLOPs", "k": "KFLOPs", "kilo": "KFLOPs", "m": "MFLOPs", "mega": "MFLOPs", "g": "GFLOPs",
                 "giga": "GFLOPs", "t": "TFLOPs", "tera": "TFLOPs"}
_FLOPS_FROM_MAG = {"K": "KFLOPs", "M": "MFLOPs", "B": "GFLOPs", "T": "TFLOPs"}


@dataclass
class Number:
    """One number in the text. ``kind``: speed | flops | params | percent | magnitude | bare."""

    value: float
    start: int
    end: int  # end of number + unit
    kind: str
    unit: str = "none"
    magnitude: str | None = None  # K/M/B/T for kind "magnitude" (waits for a params/FLOPs context)
    text: str = ""


def _to_float(s: str) -> float:
    return float(s.replace(",", ""))


def _normalise_flops(value: float, unit: str) -> tuple[float, str]:
    # the schema has no KFLOPs: express thousands of FLOPs in FLOPs
    if unit == "KFLOPs":
        return value * 1e3, "FLOPs"
    return value, unit


def find_numbers(text: str, masked: list[tuple[int, int]] = ()) -> list[Number]:
    """Every number outside ``masked`` spans, with the unit written right after it."""
    out: list[Number] = []
    for m in NUM_RE.finditer(text):
        s, e = m.span(1)
        if any(a <= s < b for a, b in masked):
            continue
        if out and s < out[-1].end:  # part of the previous number's unit ("40 frames in 1 second")
            continue
        value = _to_float(m.group(1))
        # "30+ fps", "5M-parameter", "10-ms": a plus sign or hyphen before the unit changes nothing
        rest = re.sub(r"^\+?-?(?=\s?[a-zA-Z%])", "", text[e:])
        skipped = len(text[e:]) - len(rest)
        e += skipped
        num = _classify(value, s, e, rest)
        num.text = text[s:num.end]
        out.append(num)
    return out


def _classify(value: float, s: int, e: int, rest: str) -> Number:
    pm = _PERCENT_RE.match(rest)
    if pm:
        return Number(value, s, e + pm.end(), "percent", "%")
    fm = _FLOPS_RE.match(rest)
    if fm:
        prefix = (fm.group(1) or fm.group(2) or "").lower() or None
        v, u = _normalise_flops(value, _FLOPS_PREFIX[prefix])
        return Number(v, s, e + fm.end(), "flops", u)
    for rx, unit in _SPEED_RES:
        sm = rx.match(rest)
        if sm:
            if unit == "us":
                return Number(value / 1000, s, e + sm.end(), "speed", "ms")
            return Number(value, s, e + sm.end(), "speed", unit)
    mm = _MAGNITUDE_RE.match(rest)
    if mm:
        mag = _MAG_TO[mm.group(1).lower()]
        after = rest[mm.end():]
        fm = _FLOPS_RE.match(after)
        if fm and not (fm.group(1) or fm.group(2)):
            v, u = _normalise_flops(value, _FLOPS_FROM_MAG.get(mag, "FLOPs"))
            return Number(v, s, e + mm.end() + fm.end(), "flops", u)
        pm2 = _PARAMS_RE.match(after)
        if pm2:
            v, u = _params_unit(value, mag)
            return Number(v, s, e + mm.end() + pm2.end(), "params", u)
        return Number(value, s, e + mm.end(), "magnitude", magnitude=mag)
    pm3 = _PARAMS_RE.match(rest)
    if pm3:  # "5000000 parameters"
        return Number(value, s, e + pm3.end(), "params", "none") if value == 0 else _raw_params(value, s, e + pm3.end())
    return Number(value, s, e, "bare")


def _params_unit(value: float, mag: str) -> tuple[float, str]:
    if mag == "T":  # the schema's largest unit is B
        return value * 1e3, "B"
    return value, mag


def _raw_params(value: float, s: int, end: int) -> Number:
    for scale, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= scale:
            return Number(value / scale, s, end, "params", unit)
    return Number(value / 1e3, s, end, "params", "K")


def resolve_magnitude(num: Number, context: str) -> Number:
    """A magnitude number ("5M") read as params or FLOPs from the words before it; else unchanged."""
    ctx = context.lower()
    p = max(ctx.rfind("param"), ctx.rfind("weights"), ctx.rfind("model size"), ctx.rfind("size"))
    f = max(ctx.rfind("flop"), ctx.rfind("compute"), ctx.rfind("computation"), ctx.rfind("mac"), ctx.rfind("floating"),
            ctx.rfind("operations"))
    if p < 0 and f < 0:
        return num
    mag = num.magnitude or "M"
    if f > p:
        v, u = _normalise_flops(num.value, _FLOPS_FROM_MAG.get(mag, "FLOPs"))
        return Number(v, num.start, num.end, "flops", u, text=num.text)
    v, u = _params_unit(num.value, mag)
    return Number(v, num.start, num.end, "params", u, text=num.text)


def fps_of(value: float, unit: str) -> float | None:
    """Frames per second implied by a speed (None for 0 or no unit)."""
    per_s = {"ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0}
    if value <= 0:
        return None
    if unit == "fps":
        return value
    if unit in per_s:
        return 1.0 / (value * per_s[unit])
    return None
