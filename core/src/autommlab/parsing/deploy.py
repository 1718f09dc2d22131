"""Deployment: which device (gpu / cpu / none) and inference engine the request asks for.

Raises ``RequestError`` for contradictions: GPU and CPU-only both required,
TensorRT with CPU only, two engines named without an "or".
"""

from __future__ import annotations

import re

from ..errors import RequestError
from .clauses import past, sentence_of
from .entities import Mention


# words between two conflicting choices that revise the first: "OpenVINO ... change of plan, ... TensorRT instead"
_REVISED = re.compile(r"\b(?:actually|switch\w*|instead|change\s+of\s+plan|correction|sorry|wait|on\s+second\s+thought|"
                      r"scratch\s+that|after\s+all|changed|no\s*,|not\s+the)\b", re.I)


def decide_gpu(text: str, devices: list[Mention], engine: str) -> str:
    gpus = [d for d in devices if d.kind == "gpu"]
    cpus = [d for d in devices if d.kind == "cpu"]
    if gpus and cpus:
        lo = min(gpus[0].start, cpus[0].start)
        hi = max(gpus[0].end, cpus[0].end)
        between = text[lo:hi]
        if re.search(r"\b(?:or|either|and/or)\b|/", between, re.I) and len(between) < 40:
            return "none"
        # "the Orin is being moved ... this one goes on the Raspberry Pi 4, so CPU only": the later device revises
        last = max(gpus + cpus, key=lambda d: d.start)
        first = min(gpus + cpus, key=lambda d: d.start)
        if last.kind != first.kind and (sentence_of(text, last.start) != sentence_of(text, first.start)
                                        or _REVISED.search(text[first.end:last.start])):
            return last.kind  # a later sentence, or a correction, revises the device
        raise RequestError(
            f"contradictory device requirements: '{gpus[0].value}' (GPU) and '{cpus[0].value}' (CPU); "
            "say whether the model must run on a GPU or on a CPU.")
    if engine == "tensorrt" and cpus:
        raise RequestError(f"contradictory deployment: TensorRT runs only on NVIDIA GPUs, but the request says "
                           f"'{cpus[0].value}'; choose ONNX Runtime, OpenVINO or ncnn for CPU, or drop CPU.")
    if gpus:
        return "gpu"
    if cpus:
        return "cpu"
    return "none"


_NO_ENGINE = re.compile(r"\bno\s+(?:inference\s+)?engine\s+(?:for\s+now|yet|decided|preference)|"
                        r"\bengine\s*:?\s*(?:tbd|to\s+be\s+decided|undecided|not\s+decided)\b", re.I)
_DROPPED = re.compile(r"^\s*(?:has|have|had|was|were|is|are)\s+(?:been\s+)?(?:dropped|removed|abandoned|ruled\s+out|replaced|"
                      r"cancell?ed|out)\b|^\s*(?:is|are)\s+no\s+longer\b", re.I)


def decide_engine(text: str, engines: list[Mention]) -> str:
    # "TensorRT would be nice, but nobody can maintain it, so no TensorRT": a later refusal rules out the earlier wish
    live = [e for e in engines if not e.negated
            and not any(n.negated and n.value == e.value and n.start > e.start for n in engines)]
    # plain "ONNX" next to another engine is the export format, not the runtime
    if len({e.value for e in live}) > 1:
        live = [e for e in live if not (e.value == "onnxruntime" and text[e.start:e.end].lower() == "onnx")]
    if _NO_ENGINE.search(text):  # "not decided, no engine for now", "engine TBD"
        return "none"
    values = list(dict.fromkeys(e.value for e in live))
    if len(values) > 1:  # "we originally asked for TensorRT ... switch to OpenVINO", "TensorRT has been dropped"
        now = [e for e in live if not (past(text, e.start, e.end) or _DROPPED.match(text[e.end:e.end + 40]))]
        if now and len({e.value for e in now}) == 1:
            live, values = now, [now[0].value]
    if not values:
        return "none"
    if len(values) > 1 and sentence_of(text, live[-1].start) != sentence_of(text, live[0].start) and \
            not any(sentence_of(text, e.start) == sentence_of(text, live[-1].start) and e.value != live[-1].value
                    for e in live):
        return live[-1].value  # "TensorRT ... (next sentence) use OpenVINO instead": the later sentence revises
    if len(values) > 1 and _REVISED.search(text[live[0].end:live[-1].start]) and live[-1].value != live[0].value:
        return live[-1].value  # "we first planned OpenVINO but switched: use ncnn"
    if len(values) > 1:
        a, b = live[0], next(e for e in live if e.value != live[0].value)
        between = text[min(a.end, b.end):max(a.start, b.start)]
        if re.search(r"\b(?:or|either)\b", between, re.I):
            return values[0]
        raise RequestError(f"the request names two inference engines ({', '.join(values)}); say which one to deploy with.")
    return values[0]
