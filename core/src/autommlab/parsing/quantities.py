"""Speed, FLOPs and parameter limits from the numbers of a request, and numbers left without a unit.

``quantities(text, numbers, used)`` sorts the numbers not used by a metric into
speed / FLOPs / parameter limits, skips counts, years, names, training
times, prices, proportions ("30% of the images"), distances and duty hours
("8 hours a day"), prefers a stated speed to the camera's frame rate, and
raises ``RequestError`` for a number without a unit, a percentage tied to no
metric, or two different limits of one kind.
"""

from __future__ import annotations

import re

from ..errors import RequestError
from . import lexicon as lx
from .clauses import clause_of, input_rate, past_sentence, sentence_of
from .numbers import Number, fps_of

_NOUN_AFTER = re.compile(r"^\s*([a-zA-Z][\w-]*)")
_NOT_A_UNIT = set("""and or on in at with for to of per from by the a an is are it this that under over below above within
than fps won will would should must can cannot isn was were wouldn shouldn doesn don does do did has have had be being
been please pls tops max min minimum maximum""".split())
_CONTEXT_OK = re.compile(r"(?:batch(?:\s+size)?|size|version|v|#|no\.|number|top|rank|seed|resolution|input|step|steps|"
                         r"epochs?|layers?|depth|width|channels|gpus?|cores?|threads?|level|stage|class(?:es)?|"
                         r"AP|mAP|COCO|ImageNet)\s*(?:of\s+)?$", re.I)
_TRAINING_TIME = re.compile(r"\b(?:train\w*|fine-?tun\w*|budget\s+of\s+training)\b[^.;,]{0,40}$", re.I)
# numbers that describe the situation, not a requirement
_DUTY = re.compile(r"^\s*(?:a|per|each|every)\s+(?:day|week|month|year|shift|night)\b", re.I)  # "8 hours a day"
_PROPORTION = re.compile(r"^\s*(?:of|in)\s+(?:the\s+|our\s+|all\s+|their\s+|these\s+)?[a-zA-Z]", re.I)  # "30% of images"
_CURRENCY_BEFORE = re.compile(r"[$\u20ac\u00a3\u00a5]\s*$")
_CURRENCY_AFTER = re.compile(r"^\s*(?:dollars?|euros?|usd|eur|gbp|cents?|bucks)\b", re.I)
# "2 to 4 dancers", "1 in 100 eggs", "0, 90, 180 or 270 degrees"
_COUNT_RANGE = re.compile(r"^\s*(?:,\s*\d[\d.]*\s*)*,?\s*(?:to|or|and|-|in|out\s+of)\s+\d[\d,.]*\s+[a-zA-Z]", re.I)
_RANGE_END = re.compile(r"(?:\d\s*(?:to|or|-|in|out\s+of)|\d/|\d\s*,)\s*$", re.I)  # the 4 of "2 to 4 dancers", the 7 of 24/7
_FPS_BEFORE = re.compile(r"\b(?:fps|frames?\s+per\s+second|frame[-\s]?rate)\s*(?:of|at\s+least|at\s+most|above|over|"
                         r"minimum|min|[:=]|is|must\s+be|should\s+be)?\s*$", re.I)
_BOUND_WORDS = (r"(?:\s*(?:<|>|=|:|~|\)|at\s+(?:most|least)|under|below|above|over|max(?:imum)?|min(?:imum)?|"
                r"less\s+than|more\s+than|up\s+to|of|is|must\s+be|should\s+be|per\s+(?:image|frame|img)))+\s*$")
_UNIT_BEFORE = re.compile(r"\b(GFLOPs|MFLOPs|TFLOPs|FLOPs|ms)\b\)?" + _BOUND_WORDS, re.I)
# "Parameters no more than 25000000": a raw parameter count after the word
_PARAMS_BEFORE = re.compile(r"\b(?:parameters?|params)\b\s*(?:(?:no|not)\s+(?:more|bigger|larger)\s+than|fewer\s+than|not\s+over|"
                            r"<|at\s+most|under|below|max(?:imum)?|less\s+than|up\s+to|:|=|of|is)?\s*$", re.I)
_FLOPS_UNITS = {"gflops": "GFLOPs", "mflops": "MFLOPs", "tflops": "TFLOPs", "flops": "FLOPs"}
_LENGTH = re.compile(r"^\s*(?:above|away|high|tall|long|wide|deep|from|over|below|distance|resolution|apart)\b", re.I)


_WORK_TIME = re.compile(r"^\s*(?:of|in\s+total|total|spent|worth|long)\b", re.I)
_PER_ITEM = re.compile(r"^\s*(?:per|for\s+(?:each|every|one|a)|each|a\s+(?:slide|image|scan|video|clip|batch|run|map|tile))\b",
                       re.I)


def is_count(text: str, n: Number) -> bool:
    """True when the number counts things ("3 cameras", "2 to 4 dancers", "1 in 100 eggs")."""
    return has_noun_after(text, n) or bool(_COUNT_RANGE.match(text[n.end:]) or _RANGE_END.search(text[max(0, n.start - 12):n.start]))


def label_numbers(text: str, numbers: list[Number], used: set[int]) -> set[int]:
    """Indices of bare numbers that label classes: the same word stands before two of them ("step 1, step 2")."""
    before = {}
    for i, n in enumerate(numbers):
        if i not in used and n.kind == "bare":
            m = re.search(r"([A-Za-z]+)\s+$", text[max(0, n.start - 20):n.start])
            if m:
                before.setdefault(m.group(1).lower(), []).append(i)
    return {i for ids in before.values() if len(ids) >= 2 for i in ids}


def is_denomination(text: str, n: Number) -> bool:
    """True for "5 cents", "10 euro": a number that is part of what the user names."""
    return bool(_CURRENCY_AFTER.match(text[n.end:]))


def _situation(text: str, n: Number) -> bool:
    """True for numbers that describe the situation: proportions, prices, counts, distances, duty hours."""
    after, before = text[n.end:], text[max(0, n.start - 12):n.start]
    if n.kind == "percent":
        # "our current figure is 23% canopy (what we measure, not a target)"
        return bool(_PROPORTION.match(after) or re.search(r"\b(?:current\s+figure|currently|not\s+a\s+target|what\s+we\s+"
                                                          r"(?:want\s+to\s+)?measure|share|proportion)\b",
                                                          text[max(0, n.start - 60):n.end + 60], re.I))
    # "takes a photo every 15 minutes": how often pictures come, not how fast the model must be
    if n.kind == "speed" and re.search(r"\b(?:takes?|took|snaps?|captures?|shoots?|records?|photographs?)\s+(?:a|one|an)\s+"
                                       r"(?:photo|picture|image|frame|shot|snapshot)\s+every\s*$", text[max(0, n.start - 50):n.start], re.I):
        return True
    if n.kind == "speed" and n.unit in ("h", "min") and re.search(
            r"\b(?:annotat\w*|labell?ing|by\s+hand|manual\w*|spend|spent|(?:takes|took)\s+(?:us|them|our|a\s+person))\b",
            clause_before(text, n.start), re.I):
        return True  # "annotation is expensive at roughly 2 hours per scan": people's time, not the model's
    if n.kind == "speed" and n.unit in ("h", "min"):
        # "410 hours of driving", "annotated in about 400 hours": a duration of work, not a time per image
        return bool(_DUTY.match(after) or _WORK_TIME.match(after)) or (n.unit == "h" and not _PER_ITEM.match(after)
                                                                      and not _BOUND_BEFORE.search(before + " "))
    if _CURRENCY_BEFORE.search(before) or _CURRENCY_AFTER.match(after) or re.match(r"^/\d", after):
        return True
    if n.kind in ("bare", "magnitude") and (_COUNT_RANGE.match(after) or _RANGE_END.search(before)):
        return True
    # "the 5M options underfit": a size used as a modifier of a noun, not a limit
    if n.kind == "params" and not re.search(r"param|weight", n.text, re.I) and re.match(
            r"\s*(?!(?:max|min|tops|limits?|budgets?|cap|ceiling|floor|pls|plz|please|thx|thanks)\b)[a-z]{3,}s\b", text[n.end:]):
        return True
    # "right for 9 croissants on 10": a ratio of counts
    if n.kind == "bare" and re.search(r"\d+\s+[a-z]+\s+(?:on|out\s+of|in|of)\s*$", text[max(0, n.start - 30):n.start], re.I):
        return True
    # "0.8 m above the ground": metres, not millions
    return n.kind == "magnitude" and n.magnitude == "M" and n.text.rstrip().endswith(" m") and bool(_LENGTH.match(after))


def clause_before(text: str, pos: int, width: int = 60) -> str:
    """The words before ``pos`` back to the start of their clause (at most ``width`` characters)."""
    chunk = text[max(0, pos - width):pos]
    return re.split(r"[.;]", chunk)[-1]


def has_noun_after(text: str, n: Number) -> bool:
    """True when a noun follows the number ("3 cameras"), so it counts things rather than being a bare value."""
    nm = _NOUN_AFTER.match(text[n.end:])
    return nm is not None and nm.group(1).lower() not in _NOT_A_UNIT


# a bare number reads as a requirement (and so needs a unit) only when a bound or a limit noun frames it
_BOUND_BEFORE = re.compile(r"(?:\b(?:under|below|above|over|within|at\s+least|at\s+most|less\s+than|more\s+than|"
                           r"fewer\s+than|no\s+more\s+than|not\s+more\s+than|up\s+to|max(?:imum)?|min(?:imum)?|"
                           r"faster\s+than|slower\s+than|latency|speed|budget|limit|size|time|runtime|inference|"
                           r"throughput|params?|parameters|flops|compute|target|reach|hit|achieve|keep\s+it)"
                           r"(?:\s+(?:of|is|at|be|to|around|about|roughly|approximately|~))*|[<>=~])\s*$", re.I)
_BOUND_AFTER = re.compile(r"^\s*(?:or\s+(?:less|more|better|lower|higher|fewer|faster|below|above|under|so)|at\s+(?:most|least)|"
                          r"tops|max(?:imum)?|min(?:imum)?)\b", re.I)
def _after_metric_name(text: str, n: Number) -> bool:
    """ "accuracy of 250 percent": a metric name right before a percentage that no metric took (out of range, say)."""
    window = text[max(0, n.start - 30):n.start]
    last = None
    for last in lx.METRIC_RE.finditer(window):
        pass
    return last is not None and re.fullmatch(r"\s*(?:of|is|=|:|at)?\s*", window[last.end():]) is not None


def _framed_as_requirement(text: str, n: Number, numbers: list[Number]) -> bool:
    """True when a unit-less number reads as a limit ("latency under 30", "30 fps and 5", "a budget of 600")
    rather than as part of a name or a remark ("Pi Zero 2", "20 is too ambitious" after "20 fps")."""
    before, after = text[max(0, n.start - 30):n.start], text[n.end:]
    # the same value said earlier with a unit: a mention of that value, not a new requirement
    if any(m.end <= n.start and m.kind != "bare" and m.value == n.value for m in numbers):
        return False
    return bool(_BOUND_BEFORE.search(before) or _BOUND_AFTER.match(after) or _coordinated(text, n, numbers))


def _coordinated(text: str, n: Number, numbers: list[Number]) -> bool:
    """ "30 fps and 5": the bare number is joined to a quantity that has a unit."""
    for m in numbers:
        if m is n or m.kind in ("bare", "magnitude"):
            continue
        gap = text[n.end:m.start] if m.start >= n.end else text[m.end:n.start]
        if re.fullmatch(r"\s*(?:,|and|or|to|-)\s*", gap):
            return True
    return False


def _unit_error(text: str, n: Number) -> RequestError:
    ctx = text[max(0, n.start - 30):n.end + 20].strip()
    v = n.text.strip()
    return RequestError(
        f"the number {v} in '...{ctx}...' has no unit: write e.g. '{v} fps' or '{v} ms' (speed), "
        f"'{v}M parameters', '{v} GFLOPs', or tie it to a metric ('accuracy {v}').")


# words that revise a limit stated earlier: "20 is too ambitious, 10 fps is enough", "relax that to 15 fps"
_REVISION = re.compile(r"\b(?:too\s+(?:ambitious|strict|much|tight|aggressive|optimistic|high|low|slow|fast|hard|demanding)|"
                       r"(?:is|are|would\s+be|will\s+be)\s+(?:enough|fine|ok|okay|sufficient|plenty)|enough|instead|rather|"
                       r"relax\w*|changed?|updated?|revised?|lower(?:ed)?\s+(?:it|that|the)|rais(?:e|ed)\s+(?:it|that|the))\b",
                       re.I)


_EQUIPMENT = re.compile(r"(?<![\w-])(?:(?:we|i|they|have|has|had|was|were|is|are)\s+(?:just\s+)?(?:bought|fitted|installed|mounted|"
                        r"purchased|got)|came\s+with|takes|shoots|produces|"
                        r"4k|1080p|720p|\d+\s*mp|megapixels?|resolution|high-speed|\d+\s*x\s*\d+)\b", re.I)


_NO_SPEED_ASK = re.compile(r"\b(?:latency|speed|runtime|inference\s+time)\s+(?:is\s+not\s+(?:a\s+)?(?:concern|important|an\s+issue|"
                           r"a\s+priority)|isn't\s+(?:a\s+concern|important|an\s+issue)|does(?:n't|\s+not)\s+matter|hardly\s+matters|"
                           r"is\s+irrelevant)|\bno\s+(?:latency|speed)\s+(?:requirement|constraint|target)", re.I)
_ASKED = re.compile(r"\b(?:detect\w*|classif\w*|segment\w*|key[-\s]?points?|pose|recogni\w*|count\w*|find\w*|locat\w*|"
                    r"process\w*|handle|keep\s+up|must|should|need\w*)\b", re.I)


_RANGE_BEFORE = re.compile(r"\bbetween\s+(\d[\d.]*)\s*(?:fps\s*)?(?:and|to|-)\s*$|(?<![\d.])(\d[\d.]*)\s*(?:to|-)\s*$", re.I)


def _range_floor(text: str, n: Number) -> float:
    """ "between 20 and 30 fps": a frame-rate range asks for at least its lower end."""
    m = _RANGE_BEFORE.search(text[max(0, n.start - 25):n.start])
    if n.unit != "fps" or not m:
        return n.value
    low = float(m.group(1) or m.group(2))
    return low if 0 < low < n.value else n.value


def _drop_past(text: str, values: list) -> list:
    now = [v for v in values if not past_sentence(text, v[3], v[3] + len(v[2]))]
    return now if now and len(now) < len(values) else values


def _one(values: list[tuple[float, str, str, int]], key: str, same, text: str = "") -> tuple[float, str]:
    """The single value of a quantity; RequestError when one sentence gives conflicting ones. A value stated in a
    later sentence replaces an earlier one (the user revising as they write)."""
    if not values:
        return 0, "none"
    first = values[0]
    for v in values[1:]:
        if not same(first, v):
            if _REVISION.search(sentence_of(text, v[3])) or sentence_of(text, v[3]) != sentence_of(text, first[3]):
                first = v
                continue
            raise RequestError(f"contradictory {key} requirements: '{first[2]}' and '{v[2]}'; state one {key} limit.")
    return first[0], first[1]


def _same_speed(a, b) -> bool:
    fa, fb = fps_of(a[0], a[1]), fps_of(b[0], b[1])
    return fa is not None and fb is not None and abs(fa - fb) <= 0.2 * max(fa, fb)


_TO_G = {"FLOPs": 1e-9, "MFLOPs": 1e-3, "GFLOPs": 1.0, "TFLOPs": 1e3}
_TO_M = {"K": 1e-3, "M": 1.0, "B": 1e3}


def _same_scaled(table):
    return lambda a, b: abs(a[0] * table[a[1]] - b[0] * table[b[1]]) <= 1e-9 + 1e-6 * abs(a[0] * table[a[1]])


def quantities(text: str, numbers: list[Number], used: set[int]) -> tuple[tuple[float, str], ...]:
    """(speed, flops, params) as (value, unit) each; RequestError as described in the module doc."""
    speeds, flops, params = [], [], []
    inputs = []
    labels = label_numbers(text, numbers, used)
    for i, n in enumerate(numbers):
        if i in used or i in labels or _situation(text, n):
            continue
        if n.kind == "speed":
            if _TRAINING_TIME.search(clause_before(text, n.start)):
                continue
            value = _range_floor(text, n)
            # a camera gives frames per second; a time per frame is what the model is asked for
            camera = n.unit == "fps" and input_rate(text, n.start, n.end)
            (inputs if camera else speeds).append((value, n.unit, n.text, n.start))
        elif n.kind == "flops":
            flops.append((n.value, n.unit, n.text, n.start))
        elif n.kind == "params":
            params.append((n.value, n.unit, n.text, n.start))
        elif n.kind == "percent":
            # a share that describes the situation ("fraud runs at 4%") is no requirement; one framed as a
            # limit ("at least 90%") with no metric is refused
            if not (_after_metric_name(text, n) or _framed_as_requirement(text, n, numbers)):
                continue
            raise RequestError(f"'{n.text.strip()}' is not tied to a metric: say which one, e.g. 'accuracy "
                               f"{n.text.strip()}', 'mAP {n.text.strip()}' or 'mIoU {n.text.strip()}'.")
        elif n.kind == "bare" and _FPS_BEFORE.search(text[max(0, n.start - 30):n.start]):
            speeds.append((n.value, "fps", n.text, n.start))  # "fps >= 25", "frame rate: 25"
        elif n.kind == "bare" and n.value >= 1000 and _PARAMS_BEFORE.search(text[max(0, n.start - 40):n.start]):
            scale, unit = next((d, u) for d, u in ((1e9, "B"), (1e6, "M"), (1e3, "K")) if n.value >= d)
            params.append((n.value / scale, unit, n.text, n.start))
        elif n.kind == "bare" and (unit := _UNIT_BEFORE.search(text[max(0, n.start - 30):n.start])):
            # "GFLOPs < 8", "latency (ms) at most 20": the unit is written before the number
            name = unit.group(1)
            if name.lower().endswith("flops"):
                flops.append((n.value, _FLOPS_UNITS[name.lower()], n.text, n.start))
            else:
                speeds.append((n.value, name.lower(), n.text, n.start))
        elif n.kind in ("bare", "magnitude"):
            if has_noun_after(text, n) or _CONTEXT_OK.search(text[max(0, n.start - 25):n.start]) or (
                    n.kind == "bare" and float(n.value).is_integer() and 1900 <= n.value <= 2100):
                continue
            if _framed_as_requirement(text, n, numbers):
                raise _unit_error(text, n)
    # the camera's own frame rate counts only when no other speed is stated ("video at 30 fps" is often the ask),
    # and not when the sentence describes the equipment ("we fitted a camera, 4K at 30 fps")
    # "our current model runs at 9 fps ... we need 20 fps": a past or baseline value yields to the one asked for
    speeds, flops, params = (_drop_past(text, vs) for vs in (speeds, flops, params))
    if _NO_SPEED_ASK.search(text):  # "latency is not a concern": the camera's rate is no ask either
        inputs = []
    inputs = [v for v in inputs if not (_EQUIPMENT.search(sentence_of(text, v[3]))
                                        and not _ASKED.search(clause_of(text, v[3], v[3] + len(v[2]))))]
    return (_one(speeds or inputs, "speed", _same_speed, text), _one(flops, "FLOPs", _same_scaled(_TO_G), text),
            _one(params, "parameter", _same_scaled(_TO_M), text))
