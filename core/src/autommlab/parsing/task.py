"""Which task a request asks for: stated by a cue word, or guessed from weaker evidence.

``decide_task(text, models, metrics)`` returns a ``TaskDecision``. The task is
*stated* when a cue word ("detect", "segment", "classify", "pose", ...) or a
named model's family says it. Otherwise it is *guessed* from, in order: what
the user wants out ("boxes around", "which pixels", "which of A, B or C"), a
tool noun ("a counter for", "a gait analyser"), the metrics named (mIoU ->
segmentation, PCK -> keypoint, ...), and finally the objects named (two or
more alternatives -> classification, one thing -> detection). A guess carries
its reason so the report can say so. Unsupported tasks and requests with no
evidence at all raise ``RequestError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ..errors import RequestError
from . import lexicon as lx
from .entities import Mention
from .objects_pose import names_points


@dataclass
class TaskDecision:
    task: str
    guessed: bool = False
    reason: str = ""  # why this task was chosen when it is a guess


# ----------------------------------------------------------------------------- outcome and tool-noun cues
# what the user wants to get out of an image, without naming the task; (task, regex, what it says)
_OUTCOMES: tuple[tuple[str, str, str], ...] = (
    ("keypoint", r"\b(?:joints?|postures?|gait|body\s+(?:positions?|movements?|parts?)|positions?\s+of\s+(?:the\s+)?bod(?:y|ies)|"
                 r"(?:angles?|bending)\s+of\s+(?:the\s+)?(?:\w+\s+)?(?:knees?|elbows?|hips?|arms?|legs?|joints?)|"
                 r"(?:nose|eyes|ears|knees|elbows|hips|shoulders|wrists|ankles)\s*(?:,\s*|\s+and\s+)(?:the\s+)?"
                 r"(?:nose|eyes|ears|knees|elbows|hips|shoulders|wrists|ankles))\b",
     "it asks for body joints/posture"),
    ("segmentation", r"\b(?:which\s+pixels|pixels?\s+(?:that|which)\s+(?:belong|are|is|show)|masks?|colou?r(?:s|ed|ing)?\s+in|"
                     r"(?:paint|colou?r)\w*\s+(?:in\s+)?(?:every|each|all)?\s*(?:the\s+)?pixels?|painted\s+in|"
                     r"in\s+(?:different|separate|its\s+own|their\s+own|distinct)\s+colou?rs?|cut\s+(?:\w+\s+){0,3}?out|pixel[-\s]exact|"
                     r"colou?r\w*\s+(?:all\s+)?(?:the\s+)?[\w\s-]{1,30}?\s+(?:red|green|blue|yellow|white|black|orange|purple)\b|"
                     r"(?:exact|precise)\s+(?:area|outline|shape|region)s?|area\s+of|coverage\s+map|map\s+of\s+which)\b",
     "it asks for pixels/areas/masks"),
    ("detection", r"\b(?:bounding\s+box(?:es)?|box(?:es|ing)?\s+(?:every|each|all)\b|boxes\s+(?:for|on|round)\b|(?:draw\w*|put\w*|place\w*)\s+(?:[\w-]+\s+){0,2}(?:box(?:es)?|rectangles?)\s+"
                  r"(?:around|over|on)|(?:box(?:es)?|rectangles?)\s+(?:drawn\s+|put\s+|placed\s+)?(?:around|over)|with\s+boxes|"
                  r"where\s+(?:is|are)\b|where\s+(?:[\w',-]+\s+){1,10}?(?:is|are)\b|how\s+many|counter|counts?\s+of|"
                  r"pick\w*\s+out|flag\w*\s+(?:every|each|all|any|the)?\s*[\w-]+s\b|keep\w*\s+an\s+eye\s+(?:out\s+for|on)|"
                  r"look\w*\s+(?:out\s+)?for|watch\w*\s+(?:out\s+)?for|locations?\s+of|positions?\s+of|notic(?:e|es|ing)\b|"
                  r"picks?\s+up\s+on|search\w*\s+for)",
     "it asks where things are / how many"),
    ("classification", r"\b(?:which\s+of\b|(?:choose|chooses|choosing|pick|decide|deciding)\s+between|"
                       r"(?:is|are)\s+(?:the|this|that|it|each|every|a|an|my|our)\s+(?:[\w'-]+,?\s+){1,5}?or\s+(?:not\s+)?[\w'-]+|"
                       r"(?:pass|good|ok|okay|accept\w*)\s+or\s+(?:fail|bad|not\s+ok|reject\w*)|recogni[sz]er|"
                       r"(?:says?|answers?|tells?|outputs?)\s+(?:us\s+|me\s+)?[\w-]+\s+or\s+[\w-]+|"
                       r"what\s+(?:kind|type|sort)\s+of)\b",
     "it asks which of several classes an image shows"),
)
_OUTCOME_RES = tuple((task, re.compile(p, re.I), why) for task, p, why in _OUTCOMES)

# a metric only some tasks report; precision/recall/F1/AP are shared and say less
_METRIC_TASK = {"PCK": "keypoint", "mIoU": "segmentation", "dice": "segmentation", "pixel accuracy": "segmentation",
                "AP50": "detection", "AP": "detection", "accuracy": "classification",
                "top-5 accuracy": "classification", "f1-score": "classification", "precision": "classification",
                "recall": "classification"}
# metrics that outrank a weak cue word ("find ... mIoU 0.7" is a segmentation request)
_LOCALISING = {"PCK", "mIoU", "dice", "pixel accuracy", "AP50"}


def _cue_task(text: str, models: Sequence[Mention]) -> tuple[float, str] | None:
    """(strength, task) of the strongest cue word or named model family; None without any."""
    best: tuple[float, int, str] | None = None  # (strength, -position, task): equal cues go to the first in the text
    for task, strength, rx in lx.TASK_RES:
        m = rx.search(text)
        if m:
            cand = (strength, -m.start(), task)
            if best is None or cand > best:
                best = cand
    for m in models:
        task = lx.model_task(m.value) if not m.negated else None
        if task and (best is None or best[0] < 1.5):
            best = (1.5, 0, task)
            break
    return None if best is None else (best[0], best[2])


# "for a translation app": an unsupported task naming the product, in a request that is about images
_PRODUCT_AFTER = re.compile(r"^(?:[\s-]+[\w-]+)?\s+(?:app|apps|application|tool|service|software|system|device|product|"
                            r"startup|company|business|website|platform|project)\b", re.I)
_IMAGE_WORDS = re.compile(r"\b(?:images?|photos?|pictures?|cameras?|frames?|videos?|footage|scans?|webcams?)\b", re.I)


# "ear-tag re-identification is handled elsewhere": the unsupported task is named as out of scope
_ELSEWHERE = re.compile(r"^[^.;!?]{0,40}\b(?:handled\s+(?:elsewhere|separately|by)|out\s+of\s+scope|not\s+(?:needed|part|required)|"
                        r"another\s+(?:team|tool|system)|separate(?:ly)?)\b", re.I)


_OUT_OF_SCOPE_BEFORE = re.compile(r"\b(?:out\s+of\s+scope|not\s+in\s+scope|not\s+needed|no\s+need\s+for|excluding|except)\b[^.]*$",
                                  re.I)


def _refuse_unsupported(text: str, strength: float | None, visual: bool = False) -> None:
    """RequestError when ``text`` asks for an unsupported task. ``visual``: other evidence says the request is
    about images (a vision metric), so an unsupported word that only names the product is let through."""
    visual = visual or bool(_IMAGE_WORDS.search(text))
    for rx, name in lx.UNSUPPORTED_RES:
        m = next((m for m in rx.finditer(text) if not (visual and _PRODUCT_AFTER.match(text[m.end():]))
                  and not _ELSEWHERE.match(text[m.end():m.end() + 80])
                  and not _OUT_OF_SCOPE_BEFORE.search(text[max(0, m.start() - 60):m.start()])), None)
        if not m:
            continue
        if name in ("video tracking", "text classification") or strength is None or strength < 2:
            raise RequestError(
                f"unsupported task: {name} (from {m.group(0)!r}). AutoMMLab builds models for {lx.SUPPORTED_TASKS_MSG}.")


def _metric_guess(metrics: Sequence[str], only: set[str] | None = None) -> tuple[str, str] | None:
    for name in metrics:
        if name in _METRIC_TASK and (only is None or name in only):
            return _METRIC_TASK[name], f"the metric {name} is a {_METRIC_TASK[name]} metric"
    return None


def detect_task(text: str, models: Sequence[Mention] = ()) -> str:
    """The stated task (cue word or model family); RequestError for unsupported or unstated tasks."""
    cue = _cue_task(text, models)
    _refuse_unsupported(text, cue[0] if cue else None)
    if cue is None:
        raise _no_task_error()
    return cue[1]


def _no_task_error() -> RequestError:
    return RequestError(
        "could not tell what the model should do: say whether it should classify images, detect objects, "
        f"segment regions or estimate keypoints/pose ({lx.SUPPORTED_TASKS_MSG}).")


def decide_task(text: str, models: Sequence[Mention] = (), metrics: Sequence[str] = (),
                objects_for: Callable[[str], list[str]] | None = None) -> TaskDecision:
    """The task ``text`` asks for, stated or guessed (see the module doc).

    ``metrics``: canonical metric names with a target, in text order.
    ``objects_for(task)``: the objects the text names when read for ``task`` (last-resort evidence).
    """
    cue = _cue_task(text, models)
    _refuse_unsupported(text, cue[0] if cue else None, visual=any(m in _LOCALISING for m in metrics))
    if cue is not None:
        strength, task = cue
        # "locate the four corners of each vertebra", "find the head, thorax and wing tips of each bee": points on a thing
        if strength <= 2 and task == "detection" and objects_for is not None and names_points(objects_for("detection")):
            return TaskDecision("keypoint", True, "it asks for points on each object (keypoints)")
        if strength <= 1:  # a weak verb ("find", "recognise") yields to a metric only one task reports
            mg = _metric_guess(metrics, _LOCALISING)
            if mg and mg[0] != task:
                return TaskDecision(mg[0], True, f"{mg[1]}; the task word is weak")
            # "find the head tip, the tail end and the fin points of each catfish": a list of points on a thing
            if objects_for is not None and task == "detection" and names_points(objects_for("detection")):
                return TaskDecision("keypoint", True, "it lists points on a body; the task word is weak")
            # "find where the joints are on nurses": an outcome only keypoints/masks give outranks it too
            for outcome_task, rx, why in _OUTCOME_RES[:2]:
                m = rx.search(text)
                if m and outcome_task != task:
                    return TaskDecision(outcome_task, True, f"{why} ({m.group(0).strip()!r}); the task word is weak")
        return TaskDecision(task)
    for task, rx, why in _OUTCOME_RES:
        m = rx.search(text)
        if m:
            return TaskDecision(task, True, f"no task word; {why} ({m.group(0).strip()!r})")
    mg = _metric_guess(metrics)
    if mg:
        return TaskDecision(mg[0], True, f"no task word; {mg[1]}")
    if objects_for is not None:
        objects = objects_for("classification")
        if len(objects) >= 2:
            return TaskDecision("classification", True,
                                f"no task word; {len(objects)} classes are named, so classification is most likely")
        if len(objects) == 1:
            return TaskDecision("detection", True,
                                "no task word; one kind of object is named, so detection is most likely")
    raise _no_task_error()
