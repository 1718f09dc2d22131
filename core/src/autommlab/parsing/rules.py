"""The offline request parser: text -> validated ``Request``, with no model weights.

Steps: normalise the text, spell out numbers (``numbers``), apply the user's
corrections (``corrections``), find named things (``entities``) and the task
(refusing unsupported ones), tie metric values to names (``metrics``), check
quantities for contradictions and numbers without units (here), decide
device and engine (``deploy``), read the target objects (``objects``), and
build the ``Request``. Vocabulary lives in ``lexicon``.
"""

from __future__ import annotations

import re

from ..errors import RequestError
from ..schemas import Request
from . import entities, sanity
from . import lexicon as lx
from .corrections import apply_corrections
from .deploy import decide_engine, decide_gpu
from .entities import Mention
from .metrics import assign_metrics, dedupe_metrics
from .numbers import Number, find_numbers, fps_of, resolve_magnitude, spell_out_numbers
from .objects import HOLE, extract_objects

_UNICODE = {"\u2013": " - ", "\u2014": " - ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
            "\u2265": " at least ", "\u2264": " at most ", "\u00a0": " ", "\u2026": "..."}


def normalise(text: str) -> str:
    """Plain ASCII punctuation, ">="/"<=" as words, abbreviation dots removed, single spaces."""
    for a, b in _UNICODE.items():
        text = text.replace(a, b)
    text = re.sub(r">=", " at least ", text)
    # abbreviations whose dot would end a sentence
    text = re.sub(r"\b(vs|approx|incl|resp|esp|no)\.(?=\s)", r"\1", text, flags=re.I)
    text = re.sub(r"\be\.g\.,?", "for example", text, flags=re.I)
    text = re.sub(r"\bi\.e\.,?", "that is", text, flags=re.I)
    text = re.sub(r"<=", " at most ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


# ----------------------------------------------------------------------------- task


def _mask(text: str, spans: list[tuple[int, int]], fill: str = " ") -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, min(e, len(chars))):
            chars[i] = fill
    return "".join(chars)


def detect_task(text: str, models: list[Mention] = ()) -> str:
    """The task the request asks for; RequestError for unsupported or unstated tasks.

    Cue words decide; a named model's family (DeepLab -> segmentation) counts
    more than weak verbs ("find") and less than explicit ones ("detect").
    """
    best: tuple[float, int, str] | None = None  # (strength, -order, task)
    for order, (task, strength, rx) in enumerate(lx.TASK_RES):
        if rx.search(text):
            cand = (strength, -order, task)
            if best is None or cand > best:
                best = cand
    for m in models:
        task = lx.model_task(m.value) if not m.negated else None
        if task and (best is None or best[0] < 1.5):
            best = (1.5, 0, task)
            break
    for rx, name in lx.UNSUPPORTED_RES:
        m = rx.search(text)
        if not m:
            continue
        if name in ("video tracking", "text classification") or best is None or best[0] < 2:
            raise RequestError(
                f"unsupported task: {name} (from {m.group(0)!r}). AutoMMLab builds models for {lx.SUPPORTED_TASKS_MSG}.")
    if best is None:
        raise RequestError(
            "could not tell what the model should do: say whether it should classify images, detect objects, "
            f"segment regions or estimate keypoints/pose ({lx.SUPPORTED_TASKS_MSG}).")
    return best[2]


# ----------------------------------------------------------------------------- quantities

_NOUN_AFTER = re.compile(r"^\s*([a-zA-Z][\w-]*)")
_NOT_A_UNIT = set("""and or on in at with for to of per from by the a an is are it this that under over below above within
than fps""".split())
_CONTEXT_OK = re.compile(r"(?:batch(?:\s+size)?|size|version|v|#|no\.|number|top|rank|seed|resolution|input|step|steps|"
                         r"epochs?|layers?|depth|width|channels|gpus?|cores?|threads?|level|stage|class(?:es)?|"
                         r"AP|mAP|COCO|ImageNet)\s*(?:of\s+)?$", re.I)
_TRAINING_TIME = re.compile(r"\b(?:train\w*|fine-?tun\w*|budget\s+of\s+training)\b[^.;,]{0,40}$", re.I)


def _clause_before(text: str, pos: int, width: int = 60) -> str:
    chunk = text[max(0, pos - width):pos]
    return re.split(r"[.;]", chunk)[-1]


def _unit_error(text: str, n: Number) -> RequestError:
    ctx = text[max(0, n.start - 30):n.end + 20].strip()
    v = n.text.strip()
    return RequestError(
        f"the number {v} in '...{ctx}...' has no unit: write e.g. '{v} fps' or '{v} ms' (speed), "
        f"'{v}M parameters', '{v} GFLOPs', or tie it to a metric ('accuracy {v}').")


def _one(values: list[tuple[float, str, str]], key: str, same) -> tuple[float, str]:
    """The single value of a quantity; RequestError when the text gives conflicting ones."""
    if not values:
        return 0, "none"
    first = values[0]
    for v in values[1:]:
        if not same(first, v):
            raise RequestError(f"contradictory {key} requirements: '{first[2]}' and '{v[2]}'; state one {key} limit.")
    return first[0], first[1]


def _same_speed(a, b) -> bool:
    fa, fb = fps_of(a[0], a[1]), fps_of(b[0], b[1])
    return fa is not None and fb is not None and abs(fa - fb) <= 0.2 * max(fa, fb)


_TO_G = {"FLOPs": 1e-9, "MFLOPs": 1e-3, "GFLOPs": 1.0, "TFLOPs": 1e3}
_TO_M = {"K": 1e-3, "M": 1.0, "B": 1e3}


def _same_scaled(table):
    return lambda a, b: abs(a[0] * table[a[1]] - b[0] * table[b[1]]) <= 1e-9 + 1e-6 * abs(a[0] * table[a[1]])


# ----------------------------------------------------------------------------- main


def _check_not_empty(text: str | None) -> None:
    if text is None or not re.search(r"[A-Za-z]", text):
        raise RequestError("the request is empty: describe what the model should recognise "
                           f"({lx.SUPPORTED_TASKS_MSG}), e.g. 'detect cars and people, 30 FPS on GPU'.")


def precheck(text: str) -> None:
    """Raise RequestError for empty text or an unsupported task (used before an LLM parses the text)."""
    _check_not_empty(text)
    t = apply_corrections(normalise(text))
    t = _mask(t, [(m.start, m.end) for m in entities.find_models(t) + entities.find_datasets(t)])
    try:
        detect_task(t)
    except RequestError as e:
        if str(e).startswith("unsupported task"):
            raise
        # no task cue: leave it to the model, which may read the request better


def parse_request(text: str) -> Request:
    """Parse one request paragraph into a validated ``Request`` (raises ``RequestError``)."""
    _check_not_empty(text)
    t = apply_corrections(spell_out_numbers(normalise(text)))
    sanity.check_text(t)

    models = entities.find_models(t)
    datasets = entities.find_datasets(t)
    engines = entities.find_engines(t)
    metrics = entities.find_metrics(t)
    named = models + datasets + engines
    # a metric name inside a model/dataset name ("AP-10K") is not a metric
    metrics = [m for m in metrics if not any(n.start <= m.start < n.end for n in named)]
    devices = [d for d in entities.find_devices(t) if not any(n.start <= d.start < n.end for n in named)]

    task = detect_task(_mask(t, [(m.start, m.end) for m in models + datasets]), models)

    masked = [(m.start, m.end) for m in named + metrics + devices]
    numbers = find_numbers(t, masked)
    numbers = [resolve_magnitude(n, _clause_before(t, n.start)) if n.kind == "magnitude" else n for n in numbers]
    metric_targets, used = assign_metrics(t, metrics, numbers)

    speeds, flops, params = [], [], []
    for i, n in enumerate(numbers):
        if i in used:
            continue
        if n.kind == "speed":
            if _TRAINING_TIME.search(_clause_before(t, n.start)):
                continue
            speeds.append((n.value, n.unit, n.text))
        elif n.kind == "flops":
            flops.append((n.value, n.unit, n.text))
        elif n.kind == "params":
            params.append((n.value, n.unit, n.text))
        elif n.kind == "percent":
            raise RequestError(f"'{n.text.strip()}' is not tied to a metric: say which one, e.g. 'accuracy "
                               f"{n.text.strip()}', 'mAP {n.text.strip()}' or 'mIoU {n.text.strip()}'.")
        elif n.kind in ("bare", "magnitude"):
            nm = _NOUN_AFTER.match(t[n.end:])
            has_noun = nm is not None and nm.group(1).lower() not in _NOT_A_UNIT
            if has_noun or _CONTEXT_OK.search(t[max(0, n.start - 25):n.start]) or (
                    n.kind == "bare" and float(n.value).is_integer() and 1900 <= n.value <= 2100):
                continue
            raise _unit_error(t, n)
    speed = _one(speeds, "speed", _same_speed)
    flop = _one(flops, "FLOPs", _same_scaled(_TO_G))
    param = _one(params, "parameter", _same_scaled(_TO_M))

    engine = decide_engine(t, engines)
    gpu = decide_gpu(t, devices, engine)

    live_models = [m for m in models if not m.negated]
    specific = live_models[0].value if live_models else "none"

    holes = [(m.start, m.end) for m in named + metrics + devices] + [(n.start, n.end) for n in numbers]
    obj_text = _mask_holes(t, holes)
    objects = extract_objects(obj_text, task)

    payload = {
        "data": {"object": objects, "modality": entities.find_modality(t),
                 "specific": list(dict.fromkeys(d.value for d in datasets if not d.negated))},
        "model": {"task": task, "specific_model": specific,
                  "speed": {"value": speed[0], "unit": speed[1]},
                  "flops": {"value": flop[0], "unit": flop[1]},
                  "parameters": {"value": param[0], "unit": param[1]},
                  "metrics": [{"name": n, "value": v} for n, v in dedupe_metrics(metric_targets)]},
        "deploy": {"gpu": gpu, "inference engine": engine},
    }
    sanity.check_request(payload)
    return Request.model_validate(payload)


def _mask_holes(text: str, spans: list[tuple[int, int]]) -> str:
    out = []
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            pos = max(pos, e)
            continue
        out.append(text[pos:s])
        out.append(HOLE)
        pos = e
    out.append(text[pos:])
    return "".join(out)
