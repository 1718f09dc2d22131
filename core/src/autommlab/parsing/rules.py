"""The offline request parser: text -> validated ``Request``, with no model weights.

Steps: normalise the text (``normalise``), spell out numbers (``numbers``), apply the user's
corrections (``corrections``), find named things (``entities``), tie metric
values to names (``metrics``), decide the task, stated or guessed (``task``,
refusing unsupported ones), check quantities for contradictions and numbers
without units (``quantities``), decide device and engine (``deploy``), read
the target objects (``objects``), and build the ``Request``. Vocabulary
lives in ``lexicon``.
"""

from __future__ import annotations

import re

from ..errors import RequestError
from ..schemas import Request
from . import entities, sanity
from . import lexicon as lx
from .corrections import apply_corrections
from .deploy import decide_engine, decide_gpu
from .metrics import assign_metrics, dedupe_metrics
from .model_choice import choose_model
from .numbers import find_numbers, resolve_magnitude, spell_out_numbers
from .objects import HOLE, extract_objects
from .quantities import clause_before, is_count, is_denomination, label_numbers, quantities
from .retractions import withdrawn
from .spelling import fix_task_words
from .normalise import normalise, split_quoted
from .task import decide_task, detect_task

def _mask(text: str, spans: list[tuple[int, int]], fill: str = " ") -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, min(e, len(chars))):
            chars[i] = fill
    return "".join(chars)


# ----------------------------------------------------------------------------- main


def _check_not_empty(text: str | None) -> None:
    if text is None or not re.search(r"[A-Za-z]", text):
        raise RequestError("the request is empty: describe what the model should recognise "
                           f"({lx.SUPPORTED_TASKS_MSG}), e.g. 'detect cars and people, 30 FPS on GPU'.")


def precheck(text: str) -> None:
    """Raise RequestError for empty text or an unsupported task (used before an LLM parses the text)."""
    _check_not_empty(text)
    t = apply_corrections(fix_task_words(normalise(text)))
    t = _mask(t, [(m.start, m.end) for m in entities.find_models(t) + entities.find_datasets(t)])
    try:
        detect_task(t)
    except RequestError as e:
        if str(e).startswith("unsupported task"):
            raise
        # no task cue: leave it to the model, which may read the request better


def parse_request(text: str) -> Request:
    """Parse one request paragraph into a validated ``Request`` (raises ``RequestError``).

    An e-mail reply that quotes earlier messages is read from the reply; what the reply leaves unsaid (a limit,
    the device, the classes) is taken from the quoted messages."""
    reply, quoted = split_quoted(text or "")
    if not quoted:
        return _parse(reply)
    try:
        request = _parse(reply)
    except RequestError:  # the reply alone names no task: read the thread in order, oldest first
        return _parse(quoted + "\n" + reply)
    try:
        earlier = _parse(quoted)
    except RequestError:
        return request
    return _fill_from(request, earlier, reply)


_UNSET = ({"value": 0.0, "unit": "none"}, "none", [], "")


# the reply lifts a limit the quoted message set: "forget the 1 GFLOP limit: there is no compute limit now"
_VOIDED = {"flops": re.compile(r"\bno\s+(?:compute|flops?|gflops?)\s+(?:limit|cap|budget)|forget\s+the\s+[\w.\s]*?(?:flops?|compute)", re.I),
           "parameters": re.compile(r"\bno\s+(?:parameter|param|size)\s+(?:limit|cap)|cap\s+is\s+off", re.I),
           "speed": re.compile(r"\bno\s+(?:latency|speed)\s+(?:limit|requirement)|speed\s+(?:does\s+not|doesn't)\s+matter", re.I)}


def _fill_from(request: Request, earlier: Request, reply: str = "") -> Request:
    """``request`` with the keys it leaves unset taken from ``earlier``, except limits the ``reply`` lifts."""
    now, before = request.model_dump(by_alias=True), earlier.model_dump(by_alias=True)
    voided = {key for key, rx in _VOIDED.items() if rx.search(reply)}
    for section, keys in (("data", ("object", "modality")), ("model", ("specific_model", "speed", "flops", "parameters",
                                                                       "metrics")), ("deploy", ("gpu", "inference engine"))):
        for key in keys:
            if key in voided:
                continue
            if now[section].get(key) in _UNSET or (key == "modality" and now[section][key] == "rgb"):
                now[section][key] = before[section][key]
    return Request.model_validate(now)


def _parse(text: str) -> Request:
    _check_not_empty(text)
    plain = spell_out_numbers(fix_task_words(normalise(text)))
    t = apply_corrections(plain)
    sanity.check_text(t)

    models = entities.find_models(t)
    datasets = entities.find_datasets(t)
    engines = entities.find_engines(t)
    metrics = entities.find_metrics(t)
    named = models + datasets + engines
    # a metric name inside a model/dataset name ("AP-10K") is not a metric
    metrics = [m for m in metrics if not any(n.start <= m.start < n.end for n in named)]
    devices = [d for d in entities.find_devices(t) if not any(n.start <= d.start < n.end for n in named)]

    masked = [(m.start, m.end) for m in named + metrics + devices]
    numbers = find_numbers(t, masked)
    numbers = [resolve_magnitude(n, clause_before(t, n.start)) if n.kind == "magnitude" else n for n in numbers]
    metric_targets, used = assign_metrics(t, metrics, numbers)

    # a count ("up to 50 people", "2 to 4 dancers") is dropped from the object text; other numbers end a list
    counts = {i for i, n in enumerate(numbers) if i not in used and n.kind in ("bare", "magnitude") and is_count(t, n)}
    # "1 cent, 5 cents", "step 1, step 2": the number is part of the class name
    names = {i for i in counts if is_denomination(t, numbers[i])} | label_numbers(t, numbers, used)
    holes = [(m.start, m.end, HOLE) for m in named + metrics + devices] + [
        (n.start, n.end, "" if i in counts else HOLE) for i, n in enumerate(numbers) if i not in names]
    obj_text = _mask_holes(t, holes)
    decision = decide_task(_mask(t, [(m.start, m.end) for m in models + datasets]), models,
                           [name for name, _ in metric_targets], lambda task: extract_objects(obj_text, task))
    task = decision.task
    speed, flop, param = quantities(t, numbers, used)
    gone, gone_metrics = withdrawn(plain)  # before corrections, which may strike the words 'forget that'
    speed, flop, param = ((0, "none") if kind in gone else value
                          for kind, value in (("speed", speed), ("flops", flop), ("parameters", param)))
    metric_targets = [(n, v) for n, v in metric_targets if n not in gone_metrics]

    engine = decide_engine(t, engines)
    gpu = decide_gpu(t, devices, engine)

    specific = choose_model(t, models)

    objects = extract_objects(obj_text, task)

    payload = {
        "data": {"object": objects, "modality": entities.find_modality(t),
                 "specific": list(dict.fromkeys(d.value for d in datasets if not d.negated))},
        "model": {"task": task, "specific_model": specific,
                  "task_guess": decision.reason if decision.guessed else None,
                  "speed": {"value": speed[0], "unit": speed[1]},
                  "flops": {"value": flop[0], "unit": flop[1]},
                  "parameters": {"value": param[0], "unit": param[1]},
                  "metrics": [{"name": n, "value": v} for n, v in dedupe_metrics(metric_targets)]},
        "deploy": {"gpu": gpu, "inference engine": engine},
    }
    sanity.check_request(payload)
    return Request.model_validate(payload)


def _mask_holes(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, fill) span replaced by its fill (overlapping spans merge)."""
    out = []
    pos = 0
    for s, e, fill in sorted(spans):
        if s < pos:
            pos = max(pos, e)
            continue
        out.append(text[pos:s])
        out.append(fill)
        pos = e
    out.append(text[pos:])
    return "".join(out)
