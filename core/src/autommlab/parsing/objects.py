"""Target objects (classes) named in a request.

``extract_objects(text, task)`` reads the list of things the model must
recognise from cue patterns, most specific first: an enumeration in
parentheses, "classes: A, B", a list after a colon, in a pipe-separated
spec or between dashes, "classify/sort/label ... as|into A, B or C", "tell A
and B apart", "distinguish A from B", "whether an N is A or B", "which of A,
B or C", "is the N A or B" (these choice shapes live in ``objects_choices``),
"between A and B", "pixels that are A", "boxes around A", pose cues for
keypoint requests (``objects_pose``), then verb or
noun cues ("detect A and B", "a counter for A", "segmentation of A") and
"where A and B are". Reading one list is ``items.read_list``.

``text`` should have numbers, model/dataset/engine/metric/device mentions
replaced by ``HOLE`` so they end a list rather than join it.
"""

from __future__ import annotations

import re

from .clauses import sentence_start as _sentence_start
from .lamp import normalize_object
from .items import HOLE, STOP, VERB_STOP, clean_item, list_after, read_list
from .objects_choices import IF_ITS, IS_IT, IS_THE, SAYS, WHEN, WHICH_OF, there_is, tell_apart, when_does, whether
from .objects_pose import (is_body_part, is_part_target, names_points, owner_of, points_of_each, pose_fallback,
                           pose_objects)

_TASK_PARTICIPLE = (r"(?:segmented|separated|detected|painted|colou?red|shaded|filled|classified|outlined|masked|labell?ed|"
                    r"located|locali[sz]ed|found|counted|boxed|marked|highlighted|recogni[sz]ed|identified|spotted|flagged|"
                    r"sorted|categori[sz]ed)\b")
_ENUM_PAREN = re.compile(r"\(([^()]+)\)")
_CLASSIFY_INTO = re.compile(r"\b(?:classif\w*|segment\w*|sort\w*|label\w*|categori[sz]\w*|group\w*|split\w*|divid\w*|bucket\w*|"
                            r"separat\w*|assign\w*|grad\w*|triag\w*|paint\w*|colou?r\w*|flag\w*|mark\w*|tag\w*)\b(?:\s+[\w'-]+|\s+\([^()]{0,150}\)){0,8}?\s+(?:as|into)\s+"
                            r"(?:either\s+|one\s+of\s+)?",
                            re.I)
_COLON = re.compile(r":\s+")
_DASHED = re.compile(r"\s[-\u2013\u2014]\s([^-\u2013\u2014.;!?]+?)\s[-\u2013\u2014]\s")
_VERB_CUE = re.compile(
    r"\b(?:(?:counter|tracker|analy[sz]er|monitor|estimator|checker)\s+(?:for|of)(?!\s+(?:a|an|our|my|their|this)\s)|"
    r"flag|flags|flagging|mark|marks|marking|"
    r"keep\w*\s+an\s+eye\s+(?:out\s+for|on)|look\w*\s+(?:out\s+)?for|watch\w*\s+(?:out\s+)?for|notic(?:e|es|ing)|"
    r"picks?\s+up\s+on|picking\s+up\s+on|search\w*\s+for|"
    r"segmentate|segmentates|segmentating|"
    r"picks?\s+out|picking\s+out|points?\s+out|pointing\s+out|highlight|highlights|highlighting|"
    r"box(?:es|ing)?(?=\s+(?:every|each|all)\b)|detect|detects|detecting|detection\s+of|detector\s+(?:for|of)(?!\s+(?:a|an|our|my|their|this)\s)|find|finds|finding|locate|locates|locating|"
    r"locali[sz]e|locali[sz]es|locali[sz]ing|spot|spots|spotting|count|counts|counting|segment|segments|segmenting|"
    r"segmentation\s+of|segmentation\s+for|segmenter\s+for|labell?ing\s+of|masks?\s+(?:of|for)|recogni[sz]e|recogni[sz]es|recogni[sz]ing|"
    r"recogni(?:tion|zer|ser)\s+(?:of|for)|identify|identifies|identifying|classify|classifies|classifying|classification\s+of|"
    r"separat(?:e|es|ing)|distinguish(?:es|ing)?|paint(?:s|ing)?|colou?r(?:s|ing)?(?:\s+in)?|delineat(?:e|es|ing)|"
    r"quantif(?:y|ies|ying)\s+(?:the\s+)?(?:percentage\s+|fractional\s+)?(?:area|extent|coverage|cover)\s+of|"
    r"cut\s+out|how\s+much\s+(?:area\s+)?(?:is|are)|"
    r"(?<=that\s)masks|(?<=to\s)mask|(?<=shall\s)label|(?<=should\s)label|(?<=must\s)label|mask(?:s|ing)?\s+out|"
    r"classifier\s+(?:for|of)(?!\s+(?:a|an|our|my|their|this)\s)|detector\s+that\s+finds|model\s+(?:for|of)(?!\s+(?:a|an|our|my|their|this)\s)(?!\s+[\w-]+(?:\s+[\w-]+)?\s+(?:images|photos|pictures|footage|videos|scans)\b)|outline|outlines|outlining|extract|extracts)(?:\s+|(?=,))",
    re.I)


# "mask every tomato and every cucumber", "each tooth, each filling as well as each crown": a list of every-items
_EVERY_ITEM = r"[\w'-]+(?:\s+[\w'-]+){0,3}?"
_EVERY_LIST = re.compile(r"\b(?:every|each)\s+(?P<list>" + _EVERY_ITEM +
                         r"(?:\s*(?:,|\band\b|\bor\b|\bas\s+well\s+as\b)\s*(?:and\s+)?(?:every|each)\s+(?:patch\s+of\s+)?"
                         + _EVERY_ITEM + r")+)(?=\s*(?:[,.;:!?]|\s(?:in|on|at|from|of|with|so|that|which|to|for|per|"
                         r"using|and|it|we|when|while)\b|$))", re.I)


def _every_list(text: str) -> list[str]:
    for m in _EVERY_LIST.finditer(text):
        items = read_list(re.sub(r"\b(?:every|each)\s+(?:patch\s+of\s+)?", "", m.group("list"), flags=re.I))
        if len(items) >= 2:
            return items
    return []


# last resort: "photos of lions and tigers" when the verb's object is a pronoun ("classify them")
_IMAGES_OF = re.compile(r"\b(?:images?|photos?|photographs?|pictures?|videos?|footage|frames?|scans?|shots?)\s+(?:of|showing|with)\s+",
                        re.I)


# examples given for a category name the classes: "flowers like roses and tulips"
_SUCH_AS = re.compile(r"\b(?:such\s+as|(?<!would\s)(?<!'d\s)(?<!\bi\s)(?<!we\s)(?<!you\s)(?<!they\s)like|including|e\.g\.,?|for\s+example,?|namely|specifically|in\s+particular|"
                      r"particularly|especially|mainly|mostly)\s+", re.I)
# "a face detector", "vehicle detection"
_NOUN_TASK = re.compile(r"\b([A-Za-z][\w-]*)\s+(?:detector|detection|classifier|classification|segmenter|segmentation|"
                        r"recogni[sz]er|recognition)\b", re.I)
_NOT_OBJECT_NOUN = {"object", "objects", "image", "images", "semantic", "instance", "panoptic", "real-time", "realtime",
                    "fast", "accurate", "an", "a", "the", "my", "our", "defect-free", "visual", "automatic", "automated",
                    "lightweight", "small", "tiny", "simple", "good", "robust", "pixel-level", "pixel-wise", "keypoint",
                    "pose", "scene", "multi-class", "binary", "fine-grained", "dense", "2d", "3d", "video", "little",
                    "quick", "custom", "new", "basic", "cheap", "small-ish", "decent", "proper"}


def _noun_before_task(text: str) -> list[str]:
    for m in _NOUN_TASK.finditer(text):
        word = m.group(1)
        if word.lower() in _NOT_OBJECT_NOUN or word.lower() in STOP or word.lower() in VERB_STOP:
            continue
        item = clean_item([word])
        if item:
            return [item]
    return []


# "classes are water, sand and rock", "the labels: cat, dog", "objects: plates", "subject=cyclists"
_CLASSES_ARE = re.compile(r"\b(?:(?:classes|categories|labels|target\s+classes|objects\s+of\s+interest|kinds|types|varieties|"
                          r"breeds|cultivars)\s*"
                          r"(?:are|include|:|=|to\s+detect\s+are|to\s+segment\s+are|(?=\s[\w-]+\s*,))|"
                          r"(?:the\s+)?(?:people|persons|subjects|animals|targets)\s+(?:are|will\s+be)\s+(?=[a-z])|"
                          r"(?:objects?|targets?|subjects?|(?<!action\s)items?|things|species|what)\s*[:=]|"
                          r"subjects?\s+whose\s+[\w-]+\s+(?:are|is)\s+(?:needed|wanted)\s*:|"
                          r"\bone\s+of\s*:|\b(?:want|need)\s+" + _TASK_PARTICIPLE + r"\s+(?:are|is|include)\s*:?|"
                          r"\b(?:two|three|four|five|six|seven|eight|nine|ten)\s+(?:classes|categories|kinds|types)"
                          r"(?:\s+(?:on|in|of|for)\s+[\w' ]{1,30}?)?\s*[,:])\s*", re.I)
# "classify the x-ray in normal or fractured": "in" for "into" before an either-or list
_CLASSIFY_IN = re.compile(r"\b(?:classif\w*|sort\w*|categori[sz]\w*|divid\w*|split\w*)\b(?:\s+[\w'-]+){0,8}?\s+in\s+"
                          r"(?=[\w'-]+(?:\s+[\w'-]+)?\s+or\s+)", re.I)
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?", re.I)
_POSITION_OF = re.compile(r"\b(?:positions?|locations?|whereabouts|shapes?|outlines?|contours?|silhouettes?)\s+of\s+"
                          r"(?:every|each|all|any|the)?\s*", re.I)
_WHICH_IS = re.compile(r"\bwhich\s+(?=[\w-]+(?:\s+[\w-]+)?\s+(?:is|are)\b)", re.I)
_EITHER = re.compile(r"\beither\s+(?:a\s+|an\s+|the\s+)?", re.I)
_WHERE = re.compile(r"\bwhere\s+(?:there\s+(?:is|are)\s+|is\s+|are\s+)?", re.I)
_BOXES = re.compile(r"\b(?:bounding\s+box(?:es)?|(?<=want\s)boxes|(?<=need\s)boxes|(?<=get\s)boxes|boxes(?=\s+for\b)|(?:draw\w*|put\w*|place\w*)\s+(?:\w+\s+){0,2}(?:box(?:es)?|rectangles?|frames?)|"
                    r"(?:box(?:es)?|rectangles?)\s+(?:drawn|put|placed))\s+"
                    r"(?:around|round|on|over|for)\s+(?:(?:each|every|all|any)\s+(?=[a-z]))?",
                    re.I)
# "we want piers, yachts and open water separated pixel-wise": the list before a task participle
_LIST_PARTICIPLE = re.compile(r"\b(?:want|wants|need|needs|would\s+like|'d\s+like|like|have|get|see|where)\s+(?:all\s+)?"
                              r"(?P<list>[\w' ,/&-]{2,90}?)\s+(?:(?:to\s+be|being|are|is|get|gets)\s+)?" + _TASK_PARTICIPLE, re.I)
# "Membranes and mitochondria are routinely segmented in EM slices": a passive sentence names what is segmented
_PASSIVE_START = re.compile(r"(?:^|[.!?]\s+)(?!(?:each|every|any|all)\s)(?P<list>[\w' ,/&-]{2,90}?)\s+(?:are|is|must\s+be|should\s+be|need\s+to\s+be|"
                            r"have\s+to\s+be|has\s+to\s+be|will\s+be|shall\s+be)\s+(?:to\s+be\s+)?"
                            r"(?:(?:routinely|usually|often|always|manually|currently)\s+)?" + _TASK_PARTICIPLE, re.I)


# "just water vs dry floor", "hamster vs guinea pig": a list made by "vs" stands on its own
_VS_LIST = re.compile(r"(?:^|[,:;(]\s*|\b(?:just|only|simply|decides?|box|tells?|classify|detect|segment|separate|"
                      r"distinguish|spot)\s+)(?P<list>[\w' -]{1,40}?\s+(?:vs\.?|versus)\s+[^,.;:!?()]{1,80})",
                      re.I)
# "identifying the mango variety - alphonso/kesar/dasheri", "which pepper is in each photo - A, B or C"
_DASH_LIST = re.compile(r"\s-\s(?P<list>[^-.;!?]{3,120}?)(?=[.;!?]|$)")
# "it can judge the tea leaves in picture is green tea, black tea or oolong tea"
_IS_CHOICE = re.compile(r"\b(?:is|are)\s+(?:a\s+|an\s+)?(?=[\w'-]+(?:\s+[\w'-]+){0,2}(?:\s*,\s*[\w'-]+(?:\s+[\w'-]+){0,2})*"
                        r"\s*,?\s+or\s+)", re.I)


def list_in(rx: re.Pattern[str], text: str, min_items: int = 2) -> list[str]:
    """The first list of at least ``min_items`` items read from a match's first group (or its "list" group)."""
    for m in rx.finditer(text):
        items = read_list(m.group("list") if "list" in rx.groupindex else m.group(1))
        if len(items) >= min_items:
            return items
    return []


def _list_participle(text: str) -> list[str]:
    for m in [*_LIST_PARTICIPLE.finditer(text), *_PASSIVE_START.finditer(text)]:
        if re.search(r"\b(?:are|is|was|were|already|not|been)\b", m.group("list"), re.I):
            continue  # "Pedestrians are already counted by a sensor": a statement, not the ask
        items = read_list(m.group("list"))
        if items:  # "Herons and egrets are to be detected": the capital starts the sentence, not a name
            return [it[0].lower() + it[1:] if re.fullmatch(r"[A-Z][a-z]+", it.split()[0]) else it for it in items]
    return []


# weak perception verbs: their object is often the image itself, so they are read after the others
_LOOK_AT = re.compile(r"\b(?:looks?\s+at|looking\s+at|watch|watches|watching)\s+", re.I)
# a terse spec that starts with the task: "keypoints, hands of piano players, PCK 0.9"
_TASK_FIRST = re.compile(r"^\s*(?:key[-\s]?points?|pose(?:\s+estimation)?|detection|segmentation|classification)"
                         r"\s*(?:[,:|]|\s-)\s*", re.I)
# an object added in a later sentence: "Detect apples and pears. Oh, and oranges too."
_ADDED = re.compile(r"(?:^|[.!?;]\s+)(?:(?:oh|ah|and|also)\s*,?\s*)*(?:add|put)\s+(?P<list8>[^.!?;,\u27c2]{1,40}?)"
                    r"(?:\s+in)?(?:\s+instead)?(?:\s+as\s+well)?\s*(?=[.!?;]|$)|"
                    r"(?:^|[.!?;]\s+)(?:(?:oh|ah|and|also)\s*,?\s*)+(?P<list9>[^.!?;,\u27c2]{1,40}?)\s+as\s+(?:a|an|the)\s+"
                    r"(?:[\w-]+\s+)?(?:class|category)|"
                    r"(?:[.!;]|\s-)\s+(?:(?:oh|ah|and|also|plus)\s*,?\s*)+(?P<list>[^.!?;\u27c2]{1,60}?)\s+(?:too|as\s+well)\b"
                    r"(?=\s*(?:[.!?,;]|$))|"
                    r"[,;]\s+plus\s+(?P<list3>[^.!?;\u27c2]{1,60})|"
                    r"[.;,]\s+(?:and\s+)?(?:if\s+possible,?\s+|ideally,?\s+|maybe\s+|optionally,?\s+)?also\s+"
                    r"(?P<list2>[^.!?;\u27c2]{1,60})|"
                    r"\badd\s+(?P<list4>[^.!?;,\u27c2]{1,60}?)\s+(?:to\s+the\s+(?:class(?:es)?\s+|label\s+)?list|as\s+(?:a\s+|an\s+)?"
                    r"(?:[\w-]+\s+)?(?:class|classes|category|label)|instead\b)|"
                    r"\bmake\s+the\s+[\w-]+\s+(?:class|category)\s+(?P<list5>[^.!?;,\u27c2]{1,40}?)(?:\s+instead)?(?=[.!?;,]|$)|"
                    r"\b(?:a|the)\s+(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|new|further|another|extra)\s+"
                    r"(?:one|class|category|label)\s*[:,-]\s*(?P<list7>[^.!?;\u27c2]{1,60})|"
                    r"\b(?:with|plus)\s+(?P<list6>[^.!?;,\u27c2]{1,40}?)\s+as\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:class|category)",
                    re.I)
_PIXELS_OF = re.compile(r"\bpixels?\s+(?:that|which)\s+(?:belongs?\s+to|are|is|shows?|contains?|cover)\s+|"
                        r"\b(?:every|each|all)\s+(?:the\s+)?pixels?\s+(?:of|showing)\s+|"
                        r"\bwhich\s+(?:pixels|parts|areas|regions)\s+(?:of\s+(?:a|an|the|each|every)\s+[\w-]+(?:\s+[\w-]+)?\s+)?"
                        r"(?:are|is|show)\s+|"
                        r"\bwhich\s+pixels\s+(?:are|belong\s+to|show)\s+", re.I)
# "Cars and lorries in toll booth cameras - detect them."
_PRONOUN_OBJECT = re.compile(r"\b(?:detect|find|locate|spot|segment|classify|recogni[sz]e|identify|count|track|outline|"
                             r"mark|label|sort)\s+(?:them|these|those|it|both|all\s+of\s+them)\b|"
                             r"\b(?:need|want|get|have)\s+(?:them|these|those|it|both)\s+" + _TASK_PARTICIPLE, re.I)


def _antecedent(text: str) -> list[str]:
    """The list a pronoun object refers to: read from the start of its sentence."""
    for m in _PRONOUN_OBJECT.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        items = read_list(text[start:m.start()].strip())
        if items:
            return items
    return []


def _pipe_spec(text: str) -> list[str]:
    """ "seg | road, curb | 30fps | TensorRT": in a pipe-separated spec the first plain segment after the task lists the objects."""
    segments = text.split("|")
    if len(segments) < 3:
        return []
    for seg in segments[1:]:
        # "Priority: Medium": a field of a ticket, unless it names the classes
        key = re.match(r"\s*([\w ]+?)\s*[:=]", seg)
        if HOLE.strip() in seg or (key and not re.fullmatch(r"(?:classes|objects?|targets?|labels?|categories|subjects?)",
                                                           key.group(1), re.I)):
            continue
        items = read_list(seg.strip())
        if items:
            return items
    return []


# a parenthesis lists classes only in a sentence about what the model finds ("a startup (three people and a dog)"
# is context)
_CLASS_CONTEXT = re.compile(r"\b(?:detect\w*|classif\w*|segment\w*|key[-\s]?points?|pose|recogni\w*|identif\w*|distinguish\w*|"
                            r"label\w*|sort\w*|count\w*|find\w*|locat\w*|spot\w*|outlin\w*|mask\w*|track\w*|classes|"
                            r"categor\w*|types?|kinds?|objects?|targets?|species|breeds?|varieties|boxes|pixels?|tell|"
                            r"separat\w*|flag\w*|mark\w*|pick(?:s|ing)?\s+out|look\w*|watch\w*|notic\w*|check\w*|inspect\w*|determin\w*|assess\w*|"
                            r"grad(?:e|es|ing)|judg\w*|decid\w*|estimat\w*|predict\w*|rat(?:e|es|ing)|which|whether|model|"
                            r"class|taxa|taxon|objs?|photos?|images?|pictures?|names?|call|options?|choices?|answers?|"
                            r"outcomes?|verdicts?|one|only|either|x-?rays?|scans?|radiographs?|crops?|tiles?|frames?|patches)\b", re.I)


def _paren(text: str) -> list[str]:
    for m in _ENUM_PAREN.finditer(text):
        inner = m.group(1)
        if HOLE.strip() in inner:  # "(0.1 mm/px, 3 m trays)": measurements, not classes
            continue
        sentence_start = _sentence_start(text, m.start(), ".!?\n")
        if not _CLASS_CONTEXT.search(text[sentence_start:m.start()]):
            continue
        if not re.search(r",|/|\+|\band\b|\bor\b|\bvs\b|\bversus\b", inner):
            continue
        items = read_list(inner)
        if len(items) >= 2:
            return items
    return []


def _colon(text: str) -> list[str]:
    for m in _COLON.finditer(text):
        sentence_start = _sentence_start(text, m.start(), ".!?\n")
        narrowing = re.match(r"\s*(?:only|just)\b", text[m.end():], re.I)
        if re.search(r"\d$", text[:m.start()]) or not (narrowing or _CLASS_CONTEXT.search(text[sentence_start:m.start()])):
            continue
        rest = re.split(r"[.!?\n]", text[m.end():], maxsplit=1)[0]
        parts = [p.strip() for p in rest.split(";")]
        if len(parts) >= 3 and all(0 < len(p.split()) <= 5 for p in parts[:3]):  # "kitchen: knife; cutting board; pot"
            items = read_list(", ".join(p for p in parts if p and HOLE.strip() not in p))
        else:
            items = read_list(text[m.end():])
        if len(items) >= 2:
            return items
    return []




# class names in quotes: labels "ok" and "not ok"
_QUOTED_RUN = re.compile(r'(?:"[^"\n]{1,40}"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|&\s*)?){2,}')


def _quoted(text: str) -> list[str]:
    for m in _QUOTED_RUN.finditer(text):
        items = [clean_item(q.split()) for q in re.findall(r'"([^"\n]{1,40})"', m.group(0))]
        items = [it for it in items if it]
        if len(items) >= 2:
            return items
    return []


def _classes_are(text: str) -> list[str]:
    """ "classes: A, B", "our classes: A; B; C" (semicolons separate the classes when each is short)."""
    found: list[str] = []
    for m in _CLASSES_ARE.finditer(text):
        if re.match(r"\s*(?:\w+ly\s|(?:un|im)?balanced\b|similar\b|few\b|many\b|rare\b|hard\b|difficult\b|easy\b|"
                    r"distinct\b|visible\b|quite\b|very\b|pretty\b|not\b|all\b|both\b|mostly\b)", text[m.end():], re.I):
            continue  # "the classes are badly unbalanced": a remark on the classes, not their names
        rest = re.split(r"[.!?\n]", text[m.end():], maxsplit=1)[0]
        parts = [p.strip() for p in rest.split(";")]
        if len(parts) >= 2 and all(0 < len(p.split()) <= 5 and HOLE.strip() not in p for p in parts[:2]):
            items = read_list(", ".join(p for p in parts if p and HOLE.strip() not in p))
        else:
            items = read_list(text[m.end():])
        if items:
            found = items  # "So the classes are A, B and C" after a change: the last statement of the list wins
    return found


# things the user rules out: "Shoppers and staff fill the frame but are not classes", "referees excluded",
# "Leave out hairline cracks", "imposter cells such as lymphocytes treated as background"
_EXCLUDED_AFTER = re.compile(r"\b(?:isn't|aren't)\s+(?:needed|wanted|a\s+class|classes|targets?)\b|"
                             r"\bwe\s+(?:don't|do\s+not)\s+need\b|"
                             r"\b(?:are|is)\s+(?:not\s+(?:classes|a\s+class|targets?|of\s+interest|needed|wanted|to\s+be\s+\w+ed)|"
                             r"(?:(?:only|just)\s+)?context(?:\s+only)?|out\s+of\s+scope|(?:the\s+main\s+)?(?:distractors?|confusers?)|"
                             r"excluded|ignored|background|(?:done|handled)\s+(?:by|elsewhere))|\b(?:must|should)\s+be\s+ignored|"
                             r"\btreated\s+as\s+background|\bexcluded\b", re.I)
_EXCLUDED_BEFORE = re.compile(r"\b(?:leave\s+out|exclude|excluding|ignore|ignoring|except(?:\s+for)?|but\s+not|"
                              r"not\s+including)\s+(?:the\s+)?", re.I)


# a class dropped after the list was given: "remove raku and add crawl glaze instead", "drop the longitudinal cracks",
# "I wrote formwork but I meant scaffolding", "instead of those give me X", "golf bags already go ..., so drop them"
_DROP_VERB = r"(?:drop|remove|exclude|skip|scratch|forget(?:\s+about)?)"
_DROPPED = re.compile(r"(?:^|[,;:.!?]\s*|\b(?:so|and|then|please|just|sorry|actually|correction)\s+)" + _DROP_VERB +
                      r"\s+(?:the\s+)?(?!them\b|it\b|that\b|those\b)(?P<x>[\w' -]+?)(?=\s+(?:and|because|since|as|class|"
                      r"category|too|instead|from)\b|\s*[,.;:!?]|$)|"
                      r"\bi\s+(?:wrote|said|put|listed|typed)\s+(?P<x2>[\w' -]+?)\s+but\s+(?:i\s+)?meant\b|"
                      r"\bnot\s+(?:the\s+)?(?P<x3>[\w' -]+?)\s*,\s*(?:it'?s|it\s+is|they'?re|they\s+are)\s", re.I)
_DROPPED_PRONOUN = re.compile(r"(?:^|[.!?;:]\s+)(?:(?:correction|wait|actually|sorry|oh|apologies|oops)\s*[,:]?\s*)*(?P<x>[\w' -]{2,40}?)\s+"
                              r"(?:are|is|was|were|already|go|goes|belong|count)\b[^.!?;]{0,80}?\b(?:so\s+)?"
                              r"(?:drop(?:ped)?|remove[ds]?|leave|left\s+out|skip(?:ped)?|exclude[ds]?)\s+(?:them|it)\b", re.I)
_SWAPPED_IN = re.compile(r"\b(?:i\s+(?:wrote|said|put|listed|typed)\s+[\w' -]+?\s+but\s+(?:i\s+)?meant|"
                         r"not\s+(?:the\s+)?[\w' -]+?\s*,\s*(?:it'?s|it\s+is|they'?re|they\s+are)|(?:they|we|i)\s+also\s+(?:want|need)|instead\s+of\s+(?:those|that|it|them|"
                         r"[\w' -]+?)\s*,?\s*(?:give\s+me|use|take|add|we\s+want)|(?:add|take|include)(?=\s+[\w' -]+?\s+instead\b)|"
                         r"\band\s+(?:add|take|include))\s+(?:the\s+)?(?P<y>[^.!?;,\u27c2]{1,50}?)(?:\s+instead)?(?=[.!?;,]|$)", re.I)


def _dropped(text: str) -> set[str]:
    """Normalised names of classes the user drops after listing them."""
    out = set()
    for m in _DROPPED.finditer(text):
        out |= {normalize_object(it) for it in read_list(m.group("x") or m.group("x2") or m.group("x3"))}
    for m in _DROPPED_PRONOUN.finditer(text):
        out |= {normalize_object(it) for it in read_list(re.sub(r"\s+(?:class|category|label)$", "", m.group("x").strip()))}
    return out


def _swapped_in(text: str) -> list[str]:
    out: list[str] = []
    for m in _SWAPPED_IN.finditer(text):
        out += read_list(m.group("y"))
    return out


def _excluded(text: str) -> set[str]:
    """Normalised names of things the text says are not classes (or are dropped from the list)."""
    out: set[str] = _dropped(text)
    for m in _EXCLUDED_AFTER.finditer(text):
        start = _sentence_start(text, m.start(), ".!?;:(\n")
        head = re.split(r",?\s+(?:but|and)\s+(?=(?:are|is|must|should)\b)|\s+(?:fill|appear|are|is|must|should)\b",
                        text[start:m.start()], maxsplit=1)[0]
        head = re.sub(r"^.*\bsuch\s+as\s+", "", head)
        head = re.sub(r"^\s*(?:(?:actually|also|so|but|and|oh|well|now)\b[\s,]*)+", "", head, flags=re.I)
        out |= {normalize_object(it) for it in read_list(head.strip())}
    for m in _EXCLUDED_BEFORE.finditer(text):
        out |= {normalize_object(it) for it in read_list(text[m.end():])}
    return out


def extract_objects(text: str, task: str) -> list[str]:
    """Objects named in ``text`` (masked as described in the module doc) for ``task``; may be empty."""
    finders = [_paren, _quoted, _classes_are, _colon, _pipe_spec,
               lambda t: list_after(_CLASSIFY_INTO, t, 1), lambda t: list_after(_CLASSIFY_IN, t, 2), lambda t: list_in(_DASHED, t),
               tell_apart, there_is, whether, lambda t: list_after(IF_ITS, t, 2), lambda t: list_after(IS_IT, t, 2),
               lambda t: list_after(WHICH_OF, t, 2),
               lambda t: whether(t, IS_THE), lambda t: list_after(SAYS, t, 2), lambda t: list_after(_BETWEEN, t, 2), lambda t: list_after(_EITHER, t, 2),
               lambda t: list_after(_PIXELS_OF, t, 1), lambda t: list_after(_BOXES, t, 1), _list_participle, _every_list,
               lambda t: list_after(_POSITION_OF, t, 1)]
    finders.insert(0, lambda t: list_after(_TASK_FIRST, t, 1))
    if task == "keypoint":  # an enumeration there lists body parts, not the objects
        finders.insert(0, pose_objects)
        finders.insert(1, _points_owner)
        finders.insert(2, points_of_each)
        finders.insert(finders.index(_colon) + 1, pose_fallback)  # "human pose", after "the people are ..." and "pose: cows"
    finders.append(lambda t: list_after(_SUCH_AS, t, 2))
    finders.append(lambda t: list_in(_VS_LIST, t))
    finders.append(when_does)
    finders.append(lambda t: list_after(_VERB_CUE, t, 1))
    finders.append(_noun_before_task)
    finders.append(lambda t: list_after(_LOOK_AT, t, 1))
    finders.append(lambda t: list_after(_IMAGES_OF, t, 1))
    finders.append(lambda t: list_after(_WHERE, t, 1))
    finders.append(_antecedent)
    finders.append(lambda t: list_in(_DASH_LIST, t))
    finders.append(lambda t: list_after(_WHICH_IS, t, 1))
    finders.append(lambda t: list_after(_IS_CHOICE, t, 2))
    finders.append(lambda t: whether(t, WHEN))
    excluded = _excluded(text)
    if task == "keypoint":  # "the joint locations (head, hands, knees) of each marionette": the points, not the target
        text = re.sub(r"\s*\(([^()]*)\)", lambda m: "" if names_points(read_list(m.group(1))) else m.group(0), text)
    part_targets: list[str] = []  # "target=foot": a body part keypoint models are made for, when nothing else is named
    kind_of: list[str] = []  # "the wild mushroom species": what the classes are kinds of, when none is named
    for find in finders:
        items = find(text)
        if excluded:  # "price tags are handled by another team" also rules out "misplaced price tags"
            items = [it for it in items if not any(normalize_object(it) == ex or normalize_object(it).endswith(" " + ex)
                                                   for ex in excluded)]
        if task == "keypoint":  # "133 whole-body points": what is located on the target
            part_targets = part_targets or [it for it in items if is_part_target(it)]
            items = [it for it in items if not is_body_part(it)]
        # "classify 10 dog breeds": one item naming the kind of classes is not a class (unless nothing else is named)
        if len(items) == 1 and len(items[0].split()) > 1 and items[0].split()[-1].lower() in _CATEGORY_NOUNS:
            kind_of = kind_of or [" ".join(items[0].split()[:-1])]
            continue
        if items:
            added = [it for it in _added(text) + _swapped_in(text)
                     if not (task == "keypoint" and (is_body_part(it) or names_points([it, it])))]
            added = [it for it in added if normalize_object(it) not in excluded]
            return _dedupe(_resolve_ones(items + added))
    return part_targets or (kind_of if task == "classification" else [])


def _points_owner(text: str) -> list[str]:
    """ "find the head, the thorax and the wing tips of each bumblebee": whose points are listed."""
    items = list_after(_VERB_CUE, text, 2)
    return owner_of(items) if names_points(items) else []


def _added(text: str) -> list[str]:
    out: list[str] = []
    for m in _ADDED.finditer(text):
        out += read_list(next(v for v in m.groupdict().values() if v))
    return out


_CATEGORY_NOUNS = {"breed", "species", "type", "kind", "class", "category", "variety", "brand", "genre", "style", "sort"}


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
