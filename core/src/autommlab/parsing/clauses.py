"""What the clause around a mention says about it: a past or baseline fact, or the input's own rate.

Chatty requests mention things that are not requirements: "our old model
reached 80% accuracy", "we tried a ResNet-50 last year", "the camera gives
24 frames per second". ``past(text, pos)`` and ``input_rate(text, start, end)``
tell these apart so a later, stated requirement wins over them.
"""

from __future__ import annotations

import re

_PAST = re.compile(r"\b(?:old|older|previous|prior|current|existing|baseline|already|first\s+version|"
                   r"last\s+(?:year|time|version|model|month|week|quarter|season)(?:'s)?|audit|"
                   r"before|had|reached|got|achieved|tried|was|were|used\s+to|gave\s+us|currently\s+(?:use|get|have)|"
                   r"originally|initially|at\s+(?:the\s+)?kick-?off|we\s+said|i\s+said|asked\s+for|at\s+first|"
                   r"thought\s+(?:of|to|about)|considered|were\s+thinking|delivered|in\s+(?:19|20)\d\d|"
                   r"(?:most|many|some)\s+papers|the\s+literature|original|originally|once|ran|quoted|wrote|"
                   r"first\s+(?:email|message|mail)|prior\s+work|previous\s+work|published|currently)\b",
                   re.I)
_REQUIRED = re.compile(r"\b(?:must|should|need|needs|needed|want|wants|requires?|requirements?|(?:is|are|be)\s+required|"
                       r"at\s+least|target\w*|goal|new\s+one|"
                       r"switch\s+to|move\s+to|replace\w*|instead|like\s+to|"
                       r"this\s+time|now|aim\w*|please|has\s+to|have\s+to)\b", re.I)
_INPUT = re.compile(r"\b(?:camera|cameras|video|videos|stream|streams|footage|sensor|feed|comes?\s+in|records?|recorded|"
                    r"scanner|scanners|film|films|cams?|(?:takes|shoots|produces|grabs|gives)\s+\S+\s+(?:images|pictures|photos|frames|shots)|"
                    r"recording|delivers?|captures?|captured|shoots?|shot|filmed|filming|there\s+are)\b", re.I)


# where a clause starts: a sentence end, "but/while/whereas", ", so we", ", now", ", (and) we ...", a parenthesis
_CLAUSE_START = re.compile(r"[.;!?](?=\s|$)|,?\s*\b(?:but|while|whereas)\b|,\s*so\s+(?=i\b|we\b)|,\s*(?=now\b)|"
                           r",\s*(?:and\s+)?(?=(?:we|i)\s)|[()]", re.I)


def sentence_start(text: str, pos: int, marks: str = ".!?;\n") -> int:
    """Index where the sentence holding ``pos`` starts; a dot between digits ("0.38") ends no sentence."""
    best = 0
    for m in re.finditer("[" + re.escape(marks) + "]", text[:pos]):
        if not (m.group(0) == "." and m.start() + 1 < len(text) and text[m.start() + 1].isdigit()):
            best = m.end()
    return best


def sentence_of(text: str, pos: int) -> str:
    """The sentence holding ``pos`` (see ``sentence_start``; a decimal point ends none)."""
    start = sentence_start(text, pos)
    end = next((m.start() for m in re.finditer(r"[.!?;\n]", text[pos:])
                if not (m.group(0) == "." and pos + m.start() + 1 < len(text) and text[pos + m.start() + 1].isdigit())),
               len(text) - pos)
    return text[start:pos + end]


def clause_of(text: str, start: int, end: int) -> str:
    """The clause holding ``text[start:end]``: from the last ; . ! ? or ", but" before it to the next one after it."""
    ends = [m.start() for m in _CLAUSE_START.finditer(text[:start])]
    left = (ends[-1] if ends else -1) + 1
    right_m = _CLAUSE_START.search(text[end:])
    right = end + right_m.start() if right_m else len(text)
    return text[left:right]


def past(text: str, start: int, end: int) -> bool:
    """True when the clause reports a past or baseline fact and states no requirement."""
    clause = clause_of(text, start, end)
    return bool(_PAST.search(clause)) and not _REQUIRED.search(clause)


def past_sentence(text: str, start: int, end: int) -> bool:
    """True when the clause, or the whole sentence around it, reports a past or baseline fact and asks for nothing
    ("a Faster R-CNN reached 0.38 mAP while processing 6 fps")."""
    if past(text, start, end):
        return True
    left = sentence_start(text, start)
    right_m = re.search(r"[.!?;](?:\s|$)", text[end:])
    sentence = text[left:end + right_m.start() if right_m else len(text)]
    return bool(_PAST.search(sentence)) and not _REQUIRED.search(sentence)


def input_rate(text: str, start: int, end: int) -> bool:
    """True when a speed describes the camera/video input rather than the model ("24 fps from the camera")."""
    clause = clause_of(text, start, end)
    # "a thermal camera (LWIR, 8-14 um, 60 Hz)": the parenthesis describes the camera before it
    paren = text.rfind("(", 0, start)
    if paren > text.rfind(")", 0, start) and re.search(r"\b(?:cameras?|cams?|sensors?|imagers?|scanners?|webcams?)\s*$",
                                                       text[max(0, paren - 40):paren], re.I):
        return True
    return bool(_INPUT.search(clause)) and not _REQUIRED.search(clause)
