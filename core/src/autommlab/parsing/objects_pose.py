"""Whose pose a keypoint request asks for: the people or animals, not the body parts listed."""

from __future__ import annotations

import re

from .items import STOP, VERB_STOP, clean_item, list_after
from .lamp import singular

_BODY_PREFIX_SKIP = {"body", "skeleton", "skeletal", "full", "whole", "whole-body", "2d", "3d", "the", "a", "an",
                     "estimate", "estimating", "estimates", "detect", "detecting", "get", "getting", "find", "locate",
                     "and", "for", "of", "with", "its", "their", "our", "human's", "need", "want", "key", "predict",
                     "multi-person", "single-person", "articulated", "accurate", "fast", "real-time", "do", "perform",
                     "big", "large", "huge", "heavy", "small", "tiny", "light", "lightweight", "good", "robust", "reference",
                     "app", "yoga"}
_PREFIX_MAP = {"facial": "face", "humans": "human"}

# words naming the pose itself, and body parts that are never the target ("the knees of each runner")
_POSE_WORD = (r"(?:poses?|key[-\s]?points?|landmarks?|skeletons?|joints|postures?|gait|bod(?:y|ies)|"
              r"nose|eyes|ears|knees|elbows|hips|shoulders|wrists|ankles)")
_POSE_OF = re.compile(rf"\b{_POSE_WORD}(?:\s+(?:estimation|detection|localization|"
                      r"localisation|tracking|analysis|prediction))?(?:,\s*[\w-]+(?:\s+[\w-]+)?,)?,?\s+(?:(?:are|is)\s+)?"
                      r"(?:of|on|in(?=\s+(?:the\s+)?[a-z]+s\b(?!\s+(?:from|with))))\s+",
                      re.I)
# "skeleton estimation from a ceiling camera for residents": a capture phrase may stand before "for"
_CAPTURE_PHRASE = (r"(?:\s+(?:from|in|on|with|using|via)\s+(?:a|an|the|our|my)?\s*(?:[\w-]+\s+){0,2}?"
                   r"(?:cameras?|cams?|webcams?|images?|videos?|footage|photos?|feeds?|views?))?"
                   r"(?:\s+in\s+real[-\s]time)?(?:\s*\([^()]{0,30}\))?")
_POSE_FOR = re.compile(rf"\b{_POSE_WORD}(?:\s+(?:estimation|detection|localization|localisation|analysis|prediction|model|"
                       rf"estimator|detector|tracker|tracking|analy[sz]er|monitor|monitoring|checker)){{0,2}}{_CAPTURE_PHRASE}"
                       r"(?:\s+(?:are|is))?\s+for\s+(?!a\b|an\b)", re.I)
_POSE_PREFIX = re.compile(r"([\w'-]+)\s+(?:poses?|key[-\s]?points?|landmarks?)\b", re.I)

#: what is located on the target, not the target ("17 body joints for players")
_BODY_PARTS = {"joint", "keypoint", "landmark", "point", "part", "limb", "bone", "knee", "elbow", "hip", "shoulder",
               "wrist", "ankle", "nose", "eye", "ear", "spine", "leg", "arm", "tail", "finger", "toe", "neck", "head",
               "beak", "wing", "fin", "paw", "claw", "hoof", "horn", "antenna", "mouth", "foot"}
_PART_PREFIX = {"body", "whole-body", "full-body", "skeleton", "skeletal", "facial", "face", "hand", "human", "key"}
_HUMAN_PREFIX = {"human", "humans", "person", "people", "persons", "multi-person", "animal", "animals", "pet", "pets"}


# "keypoints on cows' legs": the owner of the body part is the target, unless the part is itself one
# that keypoint models are made for ("drivers' faces" -> face)
_OWNER = re.compile(r"^(?:the\s+|each\s+|every\s+)?([A-Za-z][\w-]*?(?:'s|s'))\s+([\w-]+)", re.I)
_PART_TARGETS = {"face", "faces", "hand", "hands", "foot", "feet"}


# "dots on each student's shoulders", "check students' push-up form": the owner of the body parts is the target
_POSSESSOR = re.compile(r"\b(?:each|every|the|a|an|my|our|their)?\s*([A-Za-z][\w-]*?)(?:'s|s')\s+(?:[\w-]+\s+){0,2}?"
                        r"(?:shoulders?|hips?|knees?|elbows?|wrists?|ankles?|joints?|heads?|necks?|spines?|legs?|arms?|nose|ears?|"
                        r"eyes?|snout|beak|bill|tail|paws?|wings?|fins?|hooves|hoofs?|"
                        r"form|posture|pose|gait|body|bodies|skeleton|movements?|alignment|technique|limbs?|keypoints?)\b",
                        re.I)
# "keypoints (tip + butt) on the drumsticks": the parenthesis lists the points, not the target
_POINTS_PAREN = re.compile(rf"\b({_POSE_WORD})\s*\([^()]*\)", re.I)


def pose_objects(text: str) -> list[str]:
    """Whose pose a keypoint request asks for: "pose of runners", "hand keypoints", "pose estimation for horses"."""
    text = _POINTS_PAREN.sub(r"\1", text)
    for m in _POSSESSOR.finditer(text):
        owner = m.group(1) + ("s" if m.group(0).rstrip().split()[-1:] and "s'" in m.group(0) else "")
        if owner.lower() in _PART_TARGETS or owner.lower() in ("it", "its", "one"):
            continue
        item = clean_item([owner])
        if item and not is_body_part(item):
            return [item]

    for m in _POSE_OF.finditer(text):
        owner = _OWNER.match(text[m.end():])
        two = re.match(r"^(?:the\s+|each\s+|every\s+|a\s+|an\s+)?[A-Za-z][\w-]*?(?:'s|s')\s+([\w-]+\s+([\w-]+))", text[m.end():])
        if two and two.group(2).lower() in _PART_TARGETS:  # "a guitarist's fretting hand"
            return [clean_item(two.group(1).split()) or two.group(1)]
        if owner and re.match(r"\s*(?:old\s+|new\s+)?(?:pc|computer|laptop|server|camera|gym|office|desktop)\b",
                              text[m.end() + owner.end(1):], re.I):
            owner = None  # "keypoints on the club's old PC": the device, not the target
        if owner:
            item = clean_item([owner.group(2) if owner.group(2).lower() in _PART_TARGETS else owner.group(1)])
            if item:
                return [item]
    for m in _POSE_OF.finditer(text):
        items = [_owner_of(it) for it in list_after(re.compile(re.escape(text[m.start():m.end()])), text[m.start():])]
        items = list(dict.fromkeys(it for it in items if not is_body_part(it)))
        if items:
            return items
    # "reference poses ...: keypoints for cats and dogs": a target after "for" beats a word before "poses"
    # ("parrot pose estimation for the cam product": there the word before names the target)
    after_for = list_after(_POSE_FOR, text)
    m_for = _POSE_FOR.search(text)
    prefixes = list(_POSE_PREFIX.finditer(text))
    if after_for and m_for and not any(m.group(1).lower() in _PART_TARGETS or m.end() > m_for.start() for m in prefixes):
        return after_for
    for m in _POSE_PREFIX.finditer(text):
        word = m.group(1)
        low = word.lower()
        if low in _BODY_PREFIX_SKIP or low in STOP or low in VERB_STOP or not re.match(r"[a-zA-Z]", word):
            continue
        if low in _HUMAN_PREFIX:  # "human pose ... for runners": the runners are the more specific target
            continue
        item = clean_item([_PREFIX_MAP.get(low, word)])
        if item:
            return [item]
    return list_after(_POSE_FOR, text)


def _owner_of(item: str) -> str:
    """ "wings of bird" -> "bird": a body part of something names that thing."""
    head, sep, owner = item.partition(" of ")
    return owner if sep and is_body_part(head) and owner else item


def pose_fallback(text: str) -> list[str]:
    """ "human pose estimation": the generic subject, when nothing more specific is named."""
    for m in _POSE_PREFIX.finditer(text):
        low = m.group(1).lower()
        if low in _HUMAN_PREFIX:
            item = clean_item([_PREFIX_MAP.get(low, m.group(1))])
            if item:
                return [item]
    return []


def is_body_part(item: str) -> bool:
    """ "knee", "body joint", "whole-body point": a place on the target, not the target."""
    words = item.lower().split()
    return singular(words[-1]) in _BODY_PARTS and (len(words) == 1 or (len(words) == 2 and words[0] in _PART_PREFIX))


def is_part_target(item: str) -> bool:
    """ "foot", "hands": a body part that keypoint models are made for, so it can be the target itself."""
    return item.lower() in _PART_TARGETS or singular(item.lower()) in _PART_TARGETS


#: places on a thing that keypoint requests list ("the head tip, the tail end and the fin points of each catfish")
_POINT_WORDS = _BODY_PARTS | {"tip", "end", "corner", "peak", "thorax", "abdomen", "base", "centre", "center", "antennae", "back",
                              "nostril", "chin", "jaw", "lip", "heel", "thumb"}


def names_points(items: list[str]) -> bool:
    """True when a list names places on a thing (two or more, most of them body parts or points), or is one
    plural point word "of each" thing ("the four corners of each vertebra")."""
    if len(items) == 1:
        head, sep, owner = items[0].partition(" of ")
        return (bool(sep) and owner.split()[0].lower() in ("each", "every") and head.split()[-1].lower().endswith("s")
                and singular(head.split()[-1].lower()) in _POINT_WORDS)
    if len(items) < 2:
        return False
    parts = sum(1 for it in items if singular(it.lower().partition(" of ")[0].split()[-1]) in _POINT_WORDS)
    return parts * 2 > len(items)


def owner_of(items: list[str]) -> list[str]:
    """ "fin points of each catfish" as the last of a list of points -> ["catfish"]."""
    head, sep, owner = items[-1].partition(" of ")
    item = clean_item(owner.split()) if sep else None
    return [item] if item else []


# "the four corners of each lumbar vertebra", "the tail of each harbour seal": the owner of the points
_PART_OF_EACH = re.compile(r"\b([\w-]+)\s+of\s+(?:each|every)\s+([\w-]+(?:\s+[\w-]+){0,2}?)"
                           r"(?=\s+(?:in|on|at|from|located|as|with|that|which|for|to|so|and|is|are)\b|\s*[,.;:()]|\s*$)", re.I)
_FOR_EACH_WANT = re.compile(r"\bfor\s+(?:each|every)\s+([\w-]+(?:\s+[\w-]+)?)\s*,?\s+(?:we|i)\s+(?:want|need)\s+(?:the\s+)?"
                            r"(?:key[-\s]?points?|landmarks?|poses?)|\bkey[-\s]?points?\s+(?:per|for\s+each)\s+([\w-]+(?:\s+[\w-]+)?)", re.I)


def points_of_each(text: str) -> list[str]:
    """Whose points a keypoint request lists: "the nose and tail of each seal", "for each plant we want keypoints"."""
    m = _FOR_EACH_WANT.search(text)
    if m:
        item = clean_item((m.group(1) or m.group(2)).split())
        if item:
            return [item]
    for m in _PART_OF_EACH.finditer(text):
        if singular(m.group(1).lower()) in _POINT_WORDS:
            item = clean_item(m.group(2).split())
            if item:
                return [item]
    return []
