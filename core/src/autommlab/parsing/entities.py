"""Named things in request text: models, datasets, engines, devices, metrics, modality.

Each finder returns ``Mention``s with character spans; ``negated`` tells
whether a mention is ruled out by the words around it ("openvino is not
needed", "without a GPU", "not TensorRT").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx


@dataclass
class Mention:
    kind: str  # model | dataset | engine | gpu | cpu | metric
    value: str  # canonical value (model: as written, trimmed)
    start: int
    end: int
    negated: bool = False
    backbone: bool = False  # "ResNet-based Faster R-CNN", "with a ResNet-50 backbone": not the model itself


_NEG_BEFORE = re.compile(
    r"(?:\b(?:not|no|without|w/o|instead\s+of|rather\s+than|never|avoid|except|nor|excluding|ignore)\b|\bdon'?t\s+(?:use|want|need)"
    r"|\bprefer\w*\s+[\w\s-]{1,30}?\s+over"
    r"|\bdo\s+not\s+(?:use|want|need)|\bisn'?t|n't\s+(?:use|want|need|have|run))(?:\s+(?:a|an|the|any|use|using|on|run|"
    r"running|with|need|have|require|an?\s+\w+|\w+ing|fancy|special|extra|expensive|big|heavy|whole|discrete|for|"
    r"dedicated|separate|proper|real|external|powerful|see|get|touch|be))"
    r"{0,3}\s*$", re.I)
_NEG_AFTER = re.compile(
    r"^\s*(?:is|are|was|will\s+be)?\s*(?:not|n't)\s+(?:needed|required|necessary|wanted|available|an\s+option|allowed|"
    r"possible|present|there|supported|desired|suitable|acceptable|appropriate|ideal|preferred|good\s+enough|"
    r"what\s+we\s+want)|^\s*(?:isn'?t|aren'?t)\b|^\s*(?:unavailable|not\s+available)|"
    r"^\s*(?:is|are)\s+(?:out|off\s+the\s+table|unavailable)|"
    # "HRNet-W48 is overkill", "YOLOv5 was too slow"
    r"^\s*(?:is|are|was|were|would\s+be|seems?)\s+(?:(?:way|much|far|a\s+bit)\s+)?(?:overkill|too\s+(?:big|large|heavy|slow|"
    r"expensive|much)|a\s+(?:licensing\s+)?nightmare)|^[^.;!?]{0,90}?\b(?:(?:we|they|i)\s+(?:dropped|abandoned|got\s+rid\s+of|"
    r"replaced|scrapped)\s+(?:it|that|them)|not\s+reusing|(?:we|i)\s+(?:do|did|will)\s+not\s+(?:reuse|use|want)\s+(?:it|that|them)|"
    r"(?:we|i)\s+(?:don|didn|won)'t\s+(?:reuse|use|want)\s+(?:it|that|them)|(?:we|i)\s+(?:are|am)\s+not\s+using\s+(?:it|that|them)|"
    r"(?:we're|i'm)\s+not\s+using\s+(?:it|that|them))\b|^\s*(?:we|i)\s+(?:do\s+)?not\s+use\b|"
    r"^\s*(?:is|are)\s+(?:absent|missing|not\s+there)\b|^\s*(?:required|needed)\s*[:?]?\s*no\b", re.I)


def negated(text: str, start: int, end: int) -> bool:
    """True when the words just before or after ``text[start:end]`` rule it out."""
    before = text[max(0, start - 40):start]
    # only look back within the current clause
    before = re.split(r"[.;!?]|,\s*(?:but|and)\b", before)[-1]
    return bool(_NEG_BEFORE.search(before) or _NEG_AFTER.match(text[end:end + 100]))


def find_models(text: str) -> list[Mention]:
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for rx in (lx.MODEL_RE_CI, lx.MODEL_RE_CS):
        for m in rx.finditer(text):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken):
                continue
            raw = text[s:e].strip()
            raw = lx.MODEL_STYLE_SUFFIX.sub("", raw).strip(" -_")
            canon = lx.MODEL_CANONICAL.get(re.sub(r"[\s-]+", " ", raw.lower()), raw)
            taken.append((s, e))
            out.append(Mention("model", canon, s, e, negated(text, s, e)))
    # "-style"/"-like"/"-based" right after a name is part of the mention's span
    for mn in out:
        sm = re.match(r"[-\s](?:style|like|based|ish)\b", text[mn.end:])
        if sm:
            mn.end += sm.end()
    out.sort(key=lambda x: x.start)
    for mn, nxt in zip(out, out[1:] + [None]):
        after = text[mn.end:]
        mn.backbone = bool(re.match(r"[-\s]*(?:backbone|encoder|feature\s+extractor)\b", after, re.I) or (
            nxt is not None and re.search(r"based$", text[mn.start:mn.end], re.I) and nxt.start - mn.end <= 2))
    return out


def _named(rx: re.Pattern[str], names: list[str], kind: str, text: str) -> list[Mention]:
    out = []
    for m in rx.finditer(text):
        idx = next(i for i, g in enumerate(m.groups()) if g is not None)
        s, e = m.span()
        out.append(Mention(kind, names[idx], s, e, negated(text, s, e)))
    return out


def find_datasets(text: str) -> list[Mention]:
    out = _named(lx.DATASET_RE, lx.DATASET_NAMES, "dataset", text)
    # "COCO-style data" names the dataset (as a format reference); keep it, but extend the span
    for d in out:
        sm = re.match(r"[-\s](?:style|like|format)\b", text[d.end:])
        if sm:
            d.end += sm.end()
    return out


def find_engines(text: str) -> list[Mention]:
    return _named(lx.ENGINE_RE, lx.ENGINE_NAMES, "engine", text)


# "precision spraying", "precision agriculture": the word names a practice, not the metric
_PRECISION_PRACTICE = re.compile(r"\s+(?:spraying|agriculture|farming|engineering|medicine|livestock|irrigation|weeding|"
                                 r"machining|cutting|application|instruments?|tools?|mechanics|landing)\b", re.I)


# "Accuracy metric: AP", "accuracy target: 0.7", "accuracy-wise": the word means quality in general
_ACCURACY_LABEL = re.compile(r"[\s-]+(?:metric|measure|requirement|target|wise)\b", re.I)


def find_metrics(text: str) -> list[Mention]:
    found = _named(lx.METRIC_RE, lx.METRIC_NAMES, "metric", text)
    named_other = any(m.value not in ("accuracy",) for m in found)
    return [m for m in found
            if not (m.value == "precision" and _PRECISION_PRACTICE.match(text[m.end:]))
            and not (m.value == "accuracy" and named_other and _ACCURACY_LABEL.match(text[m.end:]))]


_OPTIONAL_AFTER = re.compile(r"^\s*(?:preference|requirement|constraint)\b|^\s*(?:is\s+|are\s+)?(?:optional|nice\s+to\s+have|(?:is\s+|are\s+)?(?:available\s+)?(?:but\s+)?not\s+"
                             r"(?:required|needed|necessary|a\s+must)|if\s+(?:available|possible|we\s+have\s+one))\b|"
                             r"^[^.;!?]{0,30}\bbut\s+not\s+(?:required|needed|necessary)\b", re.I)


def find_devices(text: str) -> list[Mention]:
    """GPU and CPU mentions; a negated GPU ("without a GPU") counts as a CPU cue and vice versa.

    Devices named for training ("trained on a GPU") are dropped.
    """
    out: list[Mention] = []
    for rx, kind in ((lx.GPU_RE, "gpu"), (lx.CPU_RE, "cpu"), (lx.ARM_RE, "cpu")):
        for m in rx.finditer(text):
            if _OPTIONAL_AFTER.match(text[m.end():m.end() + 60]):
                continue  # "GPU optional", "a GPU is available but not required": no device is asked for
            s, e = m.span()
            if lx.TRAIN_CONTEXT_RE.search(text[max(0, s - 60):s]) or lx.TRAIN_AFTER_RE.match(text[e:e + 40]):
                continue
            neg = negated(text, s, e)
            flipped = {"gpu": "cpu", "cpu": "gpu"}[kind] if neg else kind
            out.append(Mention(flipped, m.group(0), s, e, False))
    out.sort(key=lambda x: x.start)
    # an ARM mention inside an ARM board/CPU mention is one device
    return [d for k, d in enumerate(out) if not any(o.start <= d.start and d.end <= o.end and o is not d for o in out)]


def find_modality(text: str) -> str:
    for pattern, name in lx.MODALITIES:
        if re.search(pattern, text, re.I):
            return name
    return "rgb"
