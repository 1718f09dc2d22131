"""Target objects (classes) named in a request.

``extract_objects(text, task)`` reads the list of things the model must
recognise from cue patterns, most specific first: an enumeration in
parentheses, "classify/sort/label ... as|into A, B or C", a list after a
colon or between dashes, "tell A and B apart", "distinguish A from B",
"whether an N is A or B", pose cues ("pose of runners", "hand keypoints"),
then verb or noun cues ("detect A and B", "segmentation of A").

``text`` should have numbers, model/dataset/engine/metric/device mentions
replaced by ``HOLE`` so they end a list rather than join it.
"""

from __future__ import annotations

import re

from .lamp import singular

HOLE = " \u27c2 "  # stands for a masked mention; ends any list

_STOP = set("""in on at from for with within inside under over using via by to that which who whose so while when where
across through during per than into as based trained running deployed captured taken seen shown appearing
is are was were be been must should could can will would may might need needs needed has have had it its their our your
we they i you he she them this these those then please etc apart including include includes like such
only just also but if because since before after without unless whereas whether running reaching
achieving hitting with at least most about around near along between among of""".split())
# "of" is allowed inside an item ("hands of surgeons"); see _read_item
_STOP.discard("of")
_VERB_STOP = set("""run runs deploy deploys deployed keep keeps make makes use uses using reach reaches achieve achieves hit
hits aim aims process processes have has be get gets export exports output outputs return returns
support supports work works fit fits stay stays target targets give gives provide provides classify detect
segment estimate locate find count recognise recognize identify distinguish tell label sort build need needs want
should must can will would could please also then achieve ensure require requires""".split())
_LEADING = set("""the a an any all each every both either some several multiple many different various individual possible
other visible specific certain particular distinct few two three four five six seven eight nine ten kinds types sorts
kind type sort of whether my our your their its out up off away""".split())
_GENERIC = set("""object objects thing things item items image images photo photos picture pictures frame frames footage
video videos scene scenes stuff everything anything something them it class classes category categories target targets
instance instances region regions example examples data dataset sample samples input inputs camera cameras
model models network networks detector classifier segmenter grade grades group groups type types kind kinds
pixel pixels
following""".split())
# words ending in -ing that are nouns, not a participle starting a new phrase ("workers lifting boxes")
_ING_NOUNS = set("""building buildings ceiling ceilings painting paintings clothing wing ring king string spring thing
sibling seedling seedlings duckling railing railings awning bedding wedding icing lighting marking parking
housing packaging coating fitting opening dwelling siding pudding dumpling herring sapling gosling everything
something anything nothing morning evening warning swing sling ping bowling stuffing landing landings
fencing piping wiring tubing flooring roofing decking shelving cladding scaffolding plating casing bearing bearings
lining padding""".split())
_TRAILING = {"image", "images", "photo", "photos", "picture", "pictures", "frame", "frames", "footage", "video",
             "videos", "scan", "scans", "etc", "instances", "objects"}
#: "a model for recognizing digits": the gerund names the task, not the object
_GERUND_VERBS = {"recognizing", "recognising", "detecting", "classifying", "segmenting", "identifying", "finding",
                 "counting", "locating", "localizing", "localising", "spotting", "distinguishing", "sorting",
                 "estimating", "tracking", "reading", "inspecting", "monitoring", "checking"}
_HEAD_OF = re.compile(r"^(?:(?:pictures?|images?|photos?|instances?|examples?|types?|kinds?|sorts?|classes|species|"
                      r"breeds?|categories|varieties|the\s+position|positions?|locations?)\s+of\s+)+(.+)$", re.I)
_SEP = re.compile(r"\s*,\s*(?:and|or|&)\s+|\s*,\s*|\s+(?:and|or|&|versus|vs\.?|v\.|as\s+well\s+as|plus|nor)\s+|\s*/\s*",
                  re.I)
_HARD_END = re.compile(r"[.;:!?()\[\]\u27c2\n\"]|\s-\s|\s--\s")
_BODY_PREFIX_SKIP = {"body", "skeleton", "skeletal", "full", "whole", "whole-body", "2d", "3d", "the", "a", "an",
                     "estimate", "estimating", "estimates", "detect", "detecting", "get", "getting", "find", "locate",
                     "and", "for", "of", "with", "its", "their", "our", "human's", "need", "want", "key", "predict",
                     "multi-person", "single-person", "articulated", "accurate", "fast", "real-time", "do", "perform"}
_PREFIX_MAP = {"facial": "face", "humans": "human"}


def _case_singular(word: str) -> str:
    s = singular(word)
    if word.isupper():
        return s.upper()
    if word[:1].isupper():
        return word[:len(s)] if word.lower().startswith(s) else s
    return s


def clean_item(words: list[str]) -> str | None:
    """Strip determiners, possessives and generic trailing nouns; singular last word. None if nothing is left."""
    words = [w.strip("'\"") for w in words if w.strip("'\"")]
    while words and (words[0].lower() in _LEADING or words[0].lower() in _GERUND_VERBS):
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words = words[:-1]
    if not words or len(words) > 5:
        return None
    text = " ".join(words)
    m = _HEAD_OF.match(text)
    if m:
        text = m.group(1)
    text = re.sub(r"'s\b|s'(?=\s|$)", lambda mm: "" if mm.group(0) == "'s" else "s", text)
    parts = text.split()
    if not parts or (len(parts) == 1 and parts[0].lower() in _GENERIC):
        return None
    if any(not re.search(r"[a-zA-Z]", p) for p in parts):
        return None
    parts[-1] = _case_singular(parts[-1])
    return " ".join(parts)


_IRREGULAR_PLURALS = {"people", "children", "men", "women", "mice", "geese", "sheep", "fish", "deer", "cattle", "teeth",
                      "feet"}


def _plural(word: str) -> bool:
    w = word.lower().strip(",'\"")
    return w in _IRREGULAR_PLURALS or (w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3)


def _read_item(part: str) -> tuple[list[str], bool]:
    """Words of one list item up to a stop word; the flag says whether the list ends here."""
    kept: list[str] = []
    for w in part.split():
        low = w.lower().strip(",'\"")
        if low in _STOP:
            return kept, True
        # "workers lifting boxes": a participle after a plural noun starts a new phrase;
        # "shopping carts", "swimming pools": an -ing word before the noun is part of the name
        if kept and low.endswith("ing") and len(low) > 4 and low not in _ING_NOUNS and _plural(kept[-1]):
            return kept, True
        kept.append(w)
    return kept, False


def read_list(s: str) -> list[str]:
    """Items of the list that starts at the beginning of ``s`` ("A, B and C in ..." -> [A, B, C])."""
    seg = _HARD_END.split(s, maxsplit=1)[0]
    items: list[str] = []
    for part in _SEP.split(seg):
        words = part.split()
        if not words:
            continue
        first = words[0].lower()
        if first in _VERB_STOP or (first in _STOP and first not in ("of",)):
            break
        # a gerund followed by a preposition starts a new clause: ", aiming for ...", ", running at ..."
        if first.endswith("ing") and len(words) > 1 and words[1].lower() in _STOP:
            break
        kept, ended = _read_item(part)
        item = clean_item(kept)
        if item:
            items.append(item)
        if ended:
            break
    return items


_ENUM_PAREN = re.compile(r"\(([^()]+)\)")
_CLASSIFY_INTO = re.compile(r"\b(?:classif\w*|segment\w*|sort\w*|label\w*|categori[sz]\w*|group\w*|split\w*|divid\w*|bucket\w*|"
                            r"separat\w*|assign\w*|grad\w*)\b(?:\s+[\w'-]+){0,8}?\s+(?:as|into)\s+(?:either\s+|one\s+of\s+)?",
                            re.I)
_COLON = re.compile(r":\s+")
_DASHED = re.compile(r"\s[-\u2013\u2014]\s([^-\u2013\u2014]+?)\s[-\u2013\u2014]\s")
_TELL_APART = re.compile(r"\btell(?:s|ing)?\s+apart\s+|\btell(?:s|ing)?\s+(?=(?:[\w',-]+\s+){1,8}?apart\b)|"
                         r"\btell(?:s|ing)?\s+(?=(?:[\w'-]+\s+){1,4}?from\b)|"
                         r"\b(?:distinguish\w*|discriminat\w*|differentiat\w*|separat(?:e|es|ing))\s+(?:between\s+)?", re.I)
_NOT_A_CLASS = {"background", "backgrounds", "the background", "surroundings", "everything else", "the rest", "rest",
                "other", "others"}
_FROM_B = re.compile(r"^(.+?)\s+from\s+(.+)$", re.I)
_WHETHER = re.compile(r"\b(?:whether|if)\s+(?:a|an|the|each|every|this|that)?\s*([\w'-]+(?:\s+[\w'-]+)?)\s+"
                      r"(is|are|looks|look|shows|show|contains|contain|has|have|depicts|depict)\s+", re.I)
# "say if it's basil, mint or parsley"
_IF_ITS = re.compile(r"\b(?:whether|if|which)\s+(?:it|this|that|they)\s*(?:'s|'re|\s+is|\s+are)\s+(?:a\s+|an\s+)?",
                     re.I)
_POSE_OF = re.compile(r"\b(?:poses?|key[-\s]?points?|landmarks?|skeletons?)(?:\s+(?:estimation|detection|localization|"
                      r"localisation|tracking|analysis|prediction))?,?\s+(?:of|on)\s+", re.I)
_POSE_FOR = re.compile(r"\b(?:poses?|key[-\s]?points?|landmarks?|skeletons?)(?:\s+(?:estimation|detection|localization|"
                       r"localisation|analysis|prediction|model|estimator|detector))?\s+for\s+(?!a\b|an\b)", re.I)
_POSE_PREFIX = re.compile(r"([\w'-]+)\s+(?:poses?|key[-\s]?points?|landmarks?)\b", re.I)
_VERB_CUE = re.compile(
    r"\b(?:detect|detects|detecting|detection\s+of|detector\s+(?:for|of)|find|finds|finding|locate|locates|locating|"
    r"locali[sz]e|locali[sz]es|locali[sz]ing|spot|spots|spotting|count|counts|counting|segment|segments|segmenting|"
    r"segmentation\s+of|segmentation\s+for|segmenter\s+for|labell?ing\s+of|masks?\s+(?:of|for)|recogni[sz]e|recogni[sz]es|recogni[sz]ing|"
    r"recogni(?:tion|zer|ser)\s+(?:of|for)|identify|identifies|identifying|classify|classifies|classifying|classification\s+of|"
    r"separat(?:e|es|ing)|distinguish(?:es|ing)?|"
    r"classifier\s+(?:for|of)|detector\s+that\s+finds|model\s+(?:for|of)|outline|outlines|outlining|extract|extracts)\s+",
    re.I)


# last resort: "photos of lions and tigers" when the verb's object is a pronoun ("classify them")
_IMAGES_OF = re.compile(r"\b(?:images?|photos?|pictures?|videos?|footage|frames?|scans?|shots?)\s+(?:of|showing|with)\s+",
                        re.I)


# examples given for a category name the classes: "flowers like roses and tulips"
_SUCH_AS = re.compile(r"\b(?:such\s+as|like|including|e\.g\.,?|for\s+example,?|namely)\s+", re.I)
# "a face detector", "vehicle detection"
_NOUN_TASK = re.compile(r"\b([A-Za-z][\w-]*)\s+(?:detector|detection|classifier|classification|segmenter|segmentation|"
                        r"recogni[sz]er|recognition)\b", re.I)
_NOT_OBJECT_NOUN = {"object", "objects", "image", "images", "semantic", "instance", "panoptic", "real-time", "realtime",
                    "fast", "accurate", "an", "a", "the", "my", "our", "defect-free", "visual", "automatic", "automated",
                    "lightweight", "small", "tiny", "simple", "good", "robust", "pixel-level", "pixel-wise", "keypoint",
                    "pose", "scene", "multi-class", "binary", "fine-grained", "dense", "2d", "3d", "video"}


def _noun_before_task(text: str) -> list[str]:
    for m in _NOUN_TASK.finditer(text):
        word = m.group(1)
        if word.lower() in _NOT_OBJECT_NOUN or word.lower() in _STOP or word.lower() in _VERB_STOP:
            continue
        item = clean_item([word])
        if item:
            return [item]
    return []


# "classes are water, sand and rock", "the labels: cat, dog"
_CLASSES_ARE = re.compile(r"\b(?:classes|categories|labels|target\s+classes|objects\s+of\s+interest)\s*"
                          r"(?:are|include|:|=|to\s+detect\s+are|to\s+segment\s+are)\s*", re.I)


def _paren(text: str) -> list[str]:
    for m in _ENUM_PAREN.finditer(text):
        inner = m.group(1)
        if not re.search(r",|\band\b|\bor\b|\bvs\b|\bversus\b", inner):
            continue
        items = read_list(inner)
        if len(items) >= 2:
            return items
    return []


_TASK_VERBS = _VERB_STOP | {"localize", "localise", "count", "track", "measure", "outline", "label", "mark",
                            "extract", "separate", "highlight", "flag", "tag", "annotate", "crop"}


def _skip_more_verbs(rest: str) -> str:
    """ "find and count sheep" -> "sheep": drop further verbs chained to the cue."""
    while True:
        m = re.match(r"(?:and|or|&|/|then|plus)\s+(?:also\s+)?([a-z]+)\s+", rest, re.I)
        if not m or m.group(1).lower() not in _TASK_VERBS:
            return rest
        rest = rest[m.end():]


def _after(rx: re.Pattern[str], text: str, min_items: int = 1) -> list[str]:
    for m in rx.finditer(text):
        items = read_list(_skip_more_verbs(text[m.end():]))
        if len(items) >= min_items:
            return items
    return []


def _colon(text: str) -> list[str]:
    for m in _COLON.finditer(text):
        if re.search(r"\d$", text[:m.start()]):
            continue
        items = read_list(text[m.end():])
        if len(items) >= 2:
            return items
    return []


def _dashed(text: str) -> list[str]:
    for m in _DASHED.finditer(text):
        items = read_list(m.group(1))
        if len(items) >= 2:
            return items
    return []


def _tell_apart(text: str) -> list[str]:
    for m in _TELL_APART.finditer(text):
        rest = text[m.end():]
        seg = _HARD_END.split(rest, maxsplit=1)[0]
        fm = _FROM_B.match(seg)
        if fm and not re.search(r"\b(?:photos?|images?|pictures?|cameras?|videos?|footage|frames?)\b", fm.group(2).split(" ")[0], re.I):
            a = read_list(fm.group(1))
            b = [x for x in read_list(fm.group(2)) if x.lower() not in _NOT_A_CLASS]
            if a and not b and re.match(r"(?:the\s+)?(?:background|rest|surroundings)", fm.group(2), re.I):
                return a
            if a and b:
                return a + b[:1] if len(a) == 1 else a + b
        items = read_list(rest)
        if len(items) >= 2:
            return items
    return []


def _whether(text: str) -> list[str]:
    m = _WHETHER.search(text)
    if not m:
        return []
    items = read_list(text[m.end():])
    if len(items) < 2:
        return []
    noun = m.group(1)
    if m.group(2).lower() in ("is", "are", "looks", "look") and len(noun.split()) == 1 and noun.lower() not in _LEADING:
        noun_s = _case_singular(noun)
        return [f"{it} {noun_s}" if len(it.split()) == 1 else it for it in items]
    return items


_HUMAN_PREFIX = {"human", "humans", "person", "people", "persons", "multi-person", "animal", "animals", "pet", "pets"}


def _pose(text: str) -> list[str]:
    items = _after(_POSE_OF, text)
    if items:
        return items
    human = None
    for m in _POSE_PREFIX.finditer(text):
        word = m.group(1)
        low = word.lower()
        if low in _BODY_PREFIX_SKIP or low in _STOP or low in _VERB_STOP or not re.match(r"[a-zA-Z]", word):
            continue
        item = clean_item([_PREFIX_MAP.get(low, word)])
        if item and low in _HUMAN_PREFIX:
            human = human or item  # "human pose ... for runners": the runners are the more specific target
            continue
        if item:
            return [item]
    return _after(_POSE_FOR, text) or ([human] if human else [])


def extract_objects(text: str, task: str) -> list[str]:
    """Objects named in ``text`` (masked as described in the module doc) for ``task``; may be empty."""
    finders = [_paren, lambda t: _after(_CLASSES_ARE, t, 1), _colon, lambda t: _after(_CLASSIFY_INTO, t, 1), _dashed, _tell_apart, _whether,
               lambda t: _after(_IF_ITS, t, 2)]
    if task == "keypoint":  # an enumeration there lists body parts, not the objects
        finders.insert(0, _pose)
    finders.append(lambda t: _after(_SUCH_AS, t, 2))
    finders.append(lambda t: _after(_VERB_CUE, t, 1))
    finders.append(_noun_before_task)
    finders.append(lambda t: _after(_IMAGES_OF, t, 1))
    for find in finders:
        items = find(text)
        if items:
            return _dedupe(_resolve_ones(items))
    return []


def _resolve_ones(items: list[str]) -> list[str]:
    """ "genuine banknotes from counterfeit ones" -> "counterfeit banknote": "one(s)" takes the previous head noun."""
    out: list[str] = []
    for it in items:
        words = it.split()
        if len(words) > 1 and words[-1].lower() in ("one", "ones") and out:
            it = " ".join(words[:-1] + [out[-1].split()[-1]])
        out.append(it)
    return out


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for it in items:
        key = it.lower()
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out
