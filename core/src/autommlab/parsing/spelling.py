"""Misspelt task and requirement words: "detcet" -> "detect", "keypionts" -> "keypoints", "acuracy" -> "accuracy",
"secound" -> "second", "tensort" -> "tensorrt".

``fix_task_words(text)`` rewrites a word that is one edit (two for long
words; a swap of neighbours counts as one) away from a task, metric, unit or
engine word, unless it is a real word that happens to be close ("defect",
"select", "accurate"). Only these words are fixed: objects and names are left
as the user wrote them.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

_TASK_WORDS = ("detect", "detects", "detecting", "detection", "detector", "segment", "segments", "segmenting",
               "segmentation", "classify", "classifies", "classifying", "classification", "classifier", "keypoint",
               "keypoints", "recognise", "recognize", "recognition", "estimate", "estimation", "localize", "localise",
               "landmarks", "skeleton",
               # requirement words: metrics, units, engines, boards
               "accuracy", "precision", "recall", "second", "seconds", "millisecond", "milliseconds", "parameters",
               "tensorrt", "onnxruntime", "openvino", "raspberry")
#: real words one edit away from a task word
_REAL = {"defect", "defects", "defected", "detects", "dissect", "select", "selects", "segments", "deflect", "detest",
         "estate", "estimated", "estimates", "recognised", "recognized", "keypad", "skeletons", "localise", "localize",
         "classic", "classics", "classified", "classifies", "landmark", "segmented", "detected", "detector", "detectors",
         "estimator", "estimators", "segmenter", "segmenters", "recogniser", "recognizer", "recognisers", "recognizers",
         "classifiers", "detections", "estimations", "segmental", "localised", "localized", "skeletal",
         "accurate", "accurately", "precise", "recalls", "recalled", "secondly", "seconded", "parameter", "tensors",
         "raspberries", "secured", "section", "sectors", "seasons", "seeds"}
_WORD = re.compile(r"[A-Za-z]{5,}")
_BY_LEN: dict[int, list[str]] = {}
for _w in _TASK_WORDS:
    _BY_LEN.setdefault(len(_w), []).append(_w)


def _fix(word: str) -> str:
    low = word.lower()
    if low in _REAL or low in _TASK_WORDS:
        return word
    limit = 1 if len(low) <= 7 else 2
    best, best_d = None, limit + 1
    for n in range(len(low) - limit, len(low) + limit + 1):
        for cand in _BY_LEN.get(n, ()):
            d = OSA.distance(low, cand, score_cutoff=limit)
            if d < best_d and low[0] == cand[0]:
                best, best_d = cand, d
    if best is None:
        return word
    return best.capitalize() if word[0].isupper() else best


# non-native English uses the task noun as the verb: "need to segmentation the nucleus"
_NOUN_AS_VERB = re.compile(r"\b(to|and|must|should|can|will|please|need|needs|want|wants)\s+(detection|segmentation|classification|recognition)\s+"
                           r"(?=(?:the|a|an|all|every|each|some|of)\b)", re.I)
_VERB_OF = {"detection": "detect", "segmentation": "segment", "classification": "classify", "recognition": "recognise"}


def fix_task_words(text: str) -> str:
    """``text`` with misspelt task words corrected (see the module doc), and a task noun used as a verb made one."""
    text = _WORD.sub(lambda m: _fix(m.group(0)), text)
    return _NOUN_AS_VERB.sub(lambda m: f"{m.group(1)} {_VERB_OF[m.group(2).lower()]} ", text)
