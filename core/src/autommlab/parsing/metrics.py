"""Metric targets: tie each metric name in the text to its value ("90% accuracy", "recall of at least 0.8").

``assign_metrics(text, metric_mentions, numbers)`` pairs names with the
percent or plain numbers written right before ("0.72 mIoU") or shortly after
("mAP of 45%") them; values become fractions. A name still without a value
then takes the first number that follows it within the next sentence when
that number is free (no unit, no noun after it): "The key metric is mAP. We
need 0.6 or better."
"""

from __future__ import annotations

import re

from ..errors import RequestError
from .entities import Mention
from .numbers import Number
from .clauses import past
from .quantities import has_noun_after

_GAP_BEFORE = re.compile(r"^\s*(?:of\s+)?$", re.I)
_GAP_AFTER = re.compile(r"^[\s:=]*(?:(?:of|at|least|above|over|no|lower|less|than|higher|greater|more|better|"
                        r"exceeding|exceeds?|reaching|reach|reaches|around|about|approximately|roughly|is|are|be|been|"
                        r"should|must|shall|will|would|can|could|has|have|needs?|to|target|targeting|minimum|min|"
                        r"required|requirement|goal|ideally|preferably|stay|remain|hit|achieve|attain|get|up|"
                        r"equal|equals|beyond|surpass|surpassing|>|>=|or|a|an|the|value|score|on|of|it|we|want|not|"
                        r"aim|aiming|for|set|par|with|level)[\s,:]+)*$", re.I)


def _metric_value(n: Number) -> float | None:
    if n.kind == "percent":
        return n.value / 100 if 0 < n.value <= 100 else None
    if n.kind == "bare":
        if 0 < n.value <= 1:
            return n.value
        if 1 < n.value <= 100:
            return n.value / 100
    return None


def assign_metrics(text: str, metrics: list[Mention], numbers: list[Number]) -> tuple[list[tuple[str, float]], set[int]]:
    """(metric name, fraction) pairs and the indices of the numbers used."""
    used: set[int] = set()
    out: list[tuple[str, float]] = []
    cands = [(i, n) for i, n in enumerate(numbers) if _metric_value(n) is not None]
    for k, mt in enumerate(metrics):
        prev_end = metrics[k - 1].end if k else 0
        next_start = metrics[k + 1].start if k + 1 < len(metrics) else len(text)
        pick = None
        # value written first and right before the name: "90% accuracy"
        for i, n in reversed(cands):
            if i not in used and prev_end <= n.start and n.end <= mt.start and _GAP_BEFORE.match(text[n.end:mt.start]):
                pick = i
                break
        if pick is None:  # name first: "accuracy of at least 0.9"
            for i, n in cands:
                if i in used or n.start < mt.end or n.start >= next_start:
                    continue
                if _GAP_AFTER.match(text[mt.end:n.start]) and n.start - mt.end <= 40:
                    pick = i
                break
        if pick is not None:
            used.add(pick)
            out.append((k, mt.value, round(_metric_value(numbers[pick]), 6)))
    done = {k for k, _, _ in out}
    for k, mt in enumerate(metrics):
        if k in done:
            continue
        i = _next_free_number(text, metrics, k, numbers, used)
        if i is not None:
            used.add(i)
            out.append((k, mt.value, round(_metric_value(numbers[i]), 6)))
            done.add(k)
    # "precision and recall both around 0.85": names joined by "and" share the value that follows them
    values = {k: v for k, _, v in out}
    for k in range(len(metrics) - 2, -1, -1):
        if k not in values and k + 1 in values and _JOINED.match(text[metrics[k].end:metrics[k + 1].start]):
            values[k] = values[k + 1]
            out.append((k, metrics[k].value, values[k]))
    out = _drop_past_values(text, metrics, out)
    # "our baseline is 0.75 accuracy; we need 0.85": a baseline value gives way to the number asked for after it
    for j, (k, name, v) in enumerate(out):
        if past(text, metrics[k].start, metrics[k].end):
            i = _next_free_number(text, metrics, k, numbers, used)
            if i is not None and not past(text, numbers[i].start, numbers[i].end):
                used.add(i)
                out[j] = (k, name, round(_metric_value(numbers[i]), 6))
    _use_restatements(text, metrics, out, numbers, used)
    # "the current model (accuracy 0.82 at last month's audit) ... an F1-score of at least 0.9": a baseline of
    # another metric is no target when a target is stated
    now = [o for o in out if not past(text, metrics[o[0]].start, metrics[o[0]].end)]
    out = now if now else out
    replaced = _replaced_names(text, metrics)
    # "mIoU with a 0.75 target; wait, they want Dice instead": the new name takes the value it replaces
    named = {o[1] for o in out}
    for k, mt in enumerate(metrics):
        if mt.value not in named and mt.value not in replaced and replaced & named:
            old = next(o for o in out if o[1] in replaced)
            out.append((k, mt.value, old[2]))
            named.add(mt.value)
    out = [o for o in out if o[1] not in replaced] if any(o[1] not in replaced for o in out) else out
    return [(name, v) for _, name, v in sorted(out)], used


_NOT_BEFORE = re.compile(r"\b(?:not|instead\s+of|rather\s+than|in\s+place\s+of)\s+(?:the\s+)?$", re.I)


def _replaced_names(text: str, metrics: list[Mention]) -> set[str]:
    """Metric names the user swapped for another: "it should be Dice, not mIoU", "recall instead of precision"."""
    out = set()
    for k, mt in enumerate(metrics):
        if re.match(r"\s+instead\b", text[mt.end:mt.end + 12], re.I):  # "the partners want Dice instead"
            out |= {o.value for o in metrics[:k] if o.value != mt.value}
        if not _NOT_BEFORE.search(text[max(0, mt.start - 20):mt.start]):
            continue
        near = [o for o in metrics if o.value != mt.value and abs(o.start - mt.start) <= 40]
        if near:
            out.add(mt.value)
    return out


def _drop_past_values(text: str, metrics: list[Mention], out: list[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
    """ "our old model reached 80% accuracy; the new one must reach 90%": a past value yields to a required one."""
    keep = []
    for k, name, v in out:
        others = [(k2, v2) for k2, n2, v2 in out if n2 == name and v2 != v]
        if others and past(text, metrics[k].start, metrics[k].end) and not all(
                past(text, metrics[k2].start, metrics[k2].end) for k2, _ in others):
            continue
        keep.append((k, name, v))
    return keep


def _use_restatements(text: str, metrics: list[Mention], out: list[tuple[int, str, float]], numbers: list[Number],
                      used: set[int]) -> None:
    """Mark as used a free number that bounds or repeats a metric target next to it (``out`` is updated).

    "between 0.7 and 0.75 mIoU, at least 0.7 is a must": the range's lower end is the target and
    the repeated 0.7 restates it.
    """
    for j, (k, name, v) in enumerate(out):
        mt = metrics[k]
        for i, n in enumerate(numbers):  # a range's lower end written before the name
            if i in used or _metric_value(n) is None or not (mt.start - 40 <= n.end <= mt.start):
                continue
            if re.match(r"^\s*(?:and|to|-)\s*[\d.]+\s*%?\s*$", text[n.end:mt.start]) and re.search(
                    r"(?:between|from)\s*$", text[max(0, n.start - 12):n.start], re.I):
                used.add(i)
                v = min(v, round(_metric_value(n), 6))
                out[j] = (k, name, v)
        for i, n in enumerate(numbers):  # the same value said again shortly after
            if i not in used and _metric_value(n) is not None and mt.end <= n.start <= mt.end + 60 \
                    and round(_metric_value(n), 6) == v:
                used.add(i)


_JOINED = re.compile(r"^\s*(?:,|and|&|as\s+well\s+as|plus)\s*(?:the\s+)?$", re.I)
# words that may follow a carried value ("0.9 minimum", "0.6 or better")
_AFTER_VALUE = {"minimum", "min", "maximum", "max", "least", "most", "or", "at", "is", "would", "will", "should", "please",
                "and", "as", "if", "ideally", "preferably", "required", "needed", "wanted", "target", "overall", "on"}


_CARRY_WINDOW = 130  # characters after the name


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*([A-Za-z]+)", text[pos:])
    return m.group(1).lower() if m else ""


def _next_free_number(text: str, metrics: list[Mention], k: int, numbers: list[Number], used: set[int]) -> int | None:
    """Index of the number that carries metric ``k``'s value from a later clause or sentence, or None."""
    mt = metrics[k]
    next_start = metrics[k + 1].start if k + 1 < len(metrics) else len(text)
    old = None  # "it was 0.8, now it's 0.9": a value said to be the old one gives way to the next
    for i, n in enumerate(numbers):
        if n.start < mt.end or (i in used and old is None and past(text, n.start, n.end)):
            continue  # "Old model had AP 0.5; now we want at least 0.7": the used baseline value is passed over
        # only the first number after the name, before the next metric name, in this or the next sentence
        if (i in used or n.start >= next_start or n.start - mt.end > _CARRY_WINDOW or _metric_value(n) is None
                or len(re.findall(r"[.;!?](?:\s|$)", text[mt.end:n.start])) > (1 if old is None else 2)
                or (n.kind == "bare" and has_noun_after(text, n) and _next_word(text, n.end) not in _AFTER_VALUE)):
            break
        # "Last year's vendor model scored 0.81. For the new one the requirement is 0.9."
        if old is None and (_WAS.search(text[max(mt.end, n.start - 20):n.start]) or past(text, n.start, n.end)):
            old = i
            continue
        if old is not None:
            used.add(old)
        return i
    return old


_WAS = re.compile(r"\b(?:was|were|had|used\s+to\s+be|previously|before|from)\s*$", re.I)


def dedupe_metrics(pairs: list[tuple[str, float]]) -> list[tuple[str, float]]:
    seen: dict[str, float] = {}
    for name, v in pairs:
        if name in seen and seen[name] != v:
            raise RequestError(f"contradictory targets for {name}: {seen[name]:g} and {v:g}; state one.")
        seen[name] = v
    return list(seen.items())
