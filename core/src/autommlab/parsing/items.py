"""Reading one list of target objects out of request text: "A, B and C in ..." -> [A, B, C].

``read_list(s)`` splits the list that starts ``s`` at commas/"and"/"or" and
ends it at a stop word, a task verb, a participle phrase or hard punctuation;
``clean_item(words)`` strips determiners, gerunds and generic nouns from one
item and makes its last word singular. ``HOLE`` marks a masked mention
(number, model, metric, ...) and ends any list.
"""

from __future__ import annotations

import re

from .lamp import singular

HOLE = " \u27c2 "  # stands for a masked mention; ends any list

STOP = set("""in on at from for with within inside under over using via by to that which who whose so while when where
across through during per than into as based trained running deployed captured taken seen shown appearing
is are was were be been must should could can will would may might need needs needed has have had it its their our your
we they i you he she them this these those then please etc apart including include includes like such
only just also but if because since before after without unless whereas whether running reaching
achieving hitting with at least most about around near along between among of nothing else next beside behind
below above outside actually instead""".split())
# "of" is allowed inside an item ("hands of surgeons"); see _read_item
STOP.discard("of")
VERB_STOP = set("""run runs deploy deploys deployed keep keeps make makes use uses using reach reaches achieve achieves hit
hits aim aims process processes have has be get gets export exports output outputs return returns
support supports work works fit fits stay stays target targets give gives provide provides classify detect
segment estimate locate find count recognise recognize identify distinguish tell label sort build need needs want
should must can will would could please also then achieve ensure require requires say says tell tells answer
answers decide decides output outputs notice notices point points wants requires asks expects put puts draw draws""".split())
LEADING = set("""the a an any all each every both either some several multiple many different various individual possible
other visible specific certain particular distinct few two three four five six seven eight nine ten kinds types sorts
kind type sort of whether my our your their its out up off away""".split())
_GENERIC = set("""mm cm px nm um km one ones species structure structures object objects thing things item items image images photo photos picture pictures frame frames footage
video videos scene scenes stuff everything anything something them it class classes category categories target targets
instance instances region regions example examples data dataset sample samples input inputs camera cameras
model models network networks detector classifier segmenter grade grades group groups type types kind kinds
pixel pixels app apps software tool program system
following interaction interactions movement movements motion motions behaviour behavior activity activities
posture postures technique""".split())
# words ending in -ing that are nouns, not a participle starting a new phrase ("workers lifting boxes")
_ING_NOUNS = set("""building buildings ceiling ceilings painting paintings clothing wing ring king string spring thing
sibling seedling seedlings duckling railing railings awning bedding wedding icing lighting marking parking
housing packaging coating fitting opening dwelling siding pudding dumpling herring sapling gosling everything
something anything nothing morning evening warning swing sling ping bowling stuffing landing landings
fencing piping wiring tubing flooring roofing decking shelving cladding scaffolding plating casing bearing bearings
lining padding spalling peeling flaking rusting pitting staining scaling fouling scarring bleeding flooding
cracking chipping blistering bruising wilting yellowing browning moulding molding netting tiling shading lettering
stitching welding soldering bedding""".split())
_TRAILING = {"image", "images", "photo", "photos", "picture", "pictures", "frame", "frames", "footage", "video",
             "videos", "scan", "scans", "etc", "instances", "objects", "classes", "categories"}
#: "a model for recognizing digits": the gerund names the task, not the object
_GERUND_VERBS = {"recognizing", "recognising", "detecting", "classifying", "segmenting", "identifying", "finding",
                 "counting", "locating", "localizing", "localising", "spotting", "distinguishing", "sorting",
                 "estimating", "tracking", "reading", "inspecting", "monitoring", "checking"}
_HEAD_OF = re.compile(r"^(?:(?:(?:every\s+|each\s+)?pixels?|pictures?|images?|photos?|instances?|examples?|types?|kinds?|sorts?|classes|species|"
                      r"breeds?|categories|varieties|the\s+position|positions?|locations?|(?:the\s+)?(?:areas?|regions?|parts?|zones?|"
                      r"outlines?|shapes?|extent))\s+of\s+)+(.+)$", re.I)
_SEP = re.compile(r"\s*,?\s*(?:as\s+well\s+as|along\s+with|together\s+with)\s+|\s*,\s*(?:and|or|&|plus)\s+|\s*,\s*|\s+(?:and|or|&|versus|vs\.?|v\.|as\s+well\s+as|plus|nor)\s+|\s*/\s*|\s+\+\s+",
                  re.I)
HARD_END = re.compile(r"[.;:!?()\[\]\u27c2\n\"|]|\s-\s|\s--\s")
#: an item whose last word is a capture device names where the images come from, not a target
_VERB_ING = {"doing", "wearing", "holding", "carrying", "playing", "walking", "riding", "lifting", "performing", "using",
             "sitting", "standing", "lying", "working", "moving", "crossing", "entering", "leaving", "waiting", "eating",
             "drinking", "hanging", "stealing", "climbing", "jumping", "swimming", "dancing", "pushing", "pulling"}
_CAPTURE = {"pc", "computer", "laptop", "server", "desktop", "workstation", "nuc", "tablet", "camera", "cameras", "cam", "cams", "webcam", "webcams", "dashcam", "dashcams", "cctv", "feed", "feeds",
            "sensor", "sensors", "lens", "lenses", "scanner", "scanners", "view", "viewpoint", "angle"}
#: past participles that are not "-ed" words; after a noun and before a preposition they start a
#: modifier phrase ("carts left in the lot")
_PARTICIPLES = {"left", "seen", "shown", "taken", "held", "worn", "kept", "found", "made", "built", "hidden", "lying",
                "stuck", "caught", "sold", "put", "set", "spread", "thrown", "fallen", "grown", "driven", "ridden"}
#: words about the model, not a class; one of them as a list item ends the list ("for residents, fast and light")
_MODEL_QUALITIES = {"fast", "faster", "lightweight", "light-weight", "accurate", "robust", "real-time", "realtime",
                    "efficient", "quick", "reliable", "cheap", "compact", "lean", "simple"}
#: an item ending in one of these names a purpose, not a class ("tennis players, serving motion analysis")
_PURPOSE_NOUNS = {"analysis", "analyses", "monitoring", "inspection", "purposes", "purpose", "reasons", "tracking",
                  "estimation", "assessment", "evaluation", "research", "statistics", "safety"}
# an item said not to matter: "the ball is not needed"
_NOT_WANTED = re.compile(r"^\s*(?:is|are)\s+(?:not|n't)\b|^\s*(?:isn't|aren't)\b|^\s*(?:is|are)\s+irrelevant", re.I)
# fillers inside a list: "cars, oh and also bicycles", "cats and maybe foxes"
_FILLERS = re.compile(r"\b(?:oh|ah|um|uh|erm?|well)\s*,?\s+(?=(?:and|or|also|plus)\b)|"
                      r"(?<=\band\s)(?:which|where)\s+(?:are|is)\s+(?:there\s+)?|(?<=\bor\s)(?:have|has)\s+(?:a\s+|an\s+)?|"
                      r"(?<=\band\s)where\s+there\s+(?:is|are)\s+|(?<=\band\s)(?:to|of|around|on|for)\s+|(?<=\bor\s)(?:to|of|around|on|for)\s+|(?:(?<=,\s)|(?<=\band\s))how\s+much\s+(?:area\s+)?(?:is|are)\s+|(?<=,\s)shows\s+|(?<=\bor\s)(?:is|shows)\s+(?:a\s+|an\s+)?|(?<=\bor\s)(?:it|this|that)\s+(?:is|'s)\s+(?:a\s+|an\s+)?|(?<=\band\s)(?:every|each)\s+pixels?\s+of\s+|"
                      r"(?<=\band\s)(?:also|maybe|perhaps|possibly|even)\s+|(?<=\bor\s)(?:maybe|perhaps|possibly)\s+|"
                      r"(?<=,\s)(?:and\s+)?then\s+(?:also\s+)?", re.I)
# "the presence and position of forks": what is asked about them, not an object
_PRESENCE_OF = re.compile(r"\b(?:the\s+)?(?:presence|absence|existence|number|count|amount|positions?|locations?|"
                          r"(?:early\s+|first\s+|any\s+)?(?:signs?|symptoms?|traces?|evidence))"
                          r"(?:\s+(?:and|or)\s+(?:the\s+)?(?:positions?|locations?|number|count|sizes?|types?))?\s+of\s+",
                          re.I)
# a quantity or focus word before the list ("up to 50 people", "only cars and vans"); the number is masked
_QUANTIFIER = re.compile(r"^\s*(?:(?:up\s+to|at\s+least|at\s+most|about|around|roughly|approximately|more\s+than|"
                         r"less\s+than|fewer\s+than|over|only|just|mainly|mostly|also|to|or|of)\s+)+", re.I)
_CATEGORY_PLURALS = {"varieties", "species", "breeds", "types", "kinds", "classes", "categories", "brands", "cultivars",
                     "strains", "models", "grades"}
_LONE_PARTICIPLES = {"taken", "seen", "shown", "captured", "trained", "running", "deployed"}
_PREPOSITIONS = {"in", "on", "at", "by", "near", "inside", "under", "over", "from", "behind", "along", "around",
                 "outside", "across", "next", "against", "within", "between", "onto", "into", "during", "for", "with"}


def case_singular(word: str) -> str:
    s = singular(word)
    if word.isupper():
        return s.upper()
    if word[:1].isupper():
        return word[:len(s)] if word.lower().startswith(s) else s
    return s


def clean_item(words: list[str]) -> str | None:
    """Strip determiners, possessives and generic trailing nouns; singular last word. None if nothing is left."""
    words = [w.strip("'\"") for w in words if w.strip("'\"")]
    if words and words[0].lower() in ("whichever", "whatever", "whoever"):  # "whichever animal it is": a reference
        return None
    while words and (words[0].lower() in LEADING or words[0].lower() in _GERUND_VERBS or (
            # "exactly the area of ...": an adverb before a determiner qualifies the phrase, not the object
            len(words) > 1 and words[0].lower().endswith("ly") and words[1].lower() in LEADING)):
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words = words[:-1]
    if not words or len(words) > 5:
        return None
    # "koi varieties Kohaku": the category noun introduces the name
    for j in range(len(words) - 1, 0, -1):
        if words[j - 1].lower() in _CATEGORY_PLURALS:
            words = words[j:]
            break
    text = " ".join(words)
    m = _HEAD_OF.match(text)
    if m:
        text = m.group(1)
    text = re.sub(r"'s\b|s'(?=\s|$)", lambda mm: "" if mm.group(0) == "'s" else "s", text)
    parts = text.split()
    if not parts or (len(parts) == 1 and parts[0].lower() in _GENERIC) or parts[-1].lower() in _CAPTURE:
        return None
    # "retrain leaf-disease classifier", "drone images of PV panels": the model or the images, not a class
    if len(parts) > 1 and any(p.lower() in _IMAGE_NOUNS for p in parts[:-1]):
        return None
    if len(parts) > 1 and parts[-1].lower() in ("of", "in", "on", "at", "for", "with", "to", "from"):
        parts = parts[:-1]  # "pixels of", "faces of": a phrase cut before its noun
        if parts[-1].lower() in _GENERIC or parts[-1].lower() in ("pixel", "pixels"):
            return None
    # "road-marking segmentation": the task, not a class
    if parts[-1].lower() in ("segmentation", "detection", "classification", "estimation", "recognition"):
        return None
    # "the foraging app", "per-pixel masks": the product or the kind of output, not a class
    if parts[-1].lower() in _PRODUCT or (parts[0].lower() in _OUTPUT_KIND and singular(parts[-1].lower()) in ("mask", "box")):
        return None
    # "1 cent" is a class name; a part without letters elsewhere is a fragment
    if not re.search(r"[a-zA-Z]", " ".join(parts)) or any(not re.search(r"[a-zA-Z0-9]", p) for p in parts):
        return None
    parts[-1] = case_singular(parts[-1])
    return " ".join(parts)


#: stop words that are nouns when they end a list item ("aluminium can", "paint runs", "ink marks")
_NOUN_TOO = {"can", "cans", "runs", "run", "works", "points", "marks", "needs", "uses", "hits", "fits", "returns",
             "outputs", "supports", "stays", "counts"}
_MODEL_NOUNS = {"classifier", "detector", "segmenter", "model", "network", "estimator", "tracker", "system"}
_IMAGE_NOUNS = {"images", "image", "photos", "photographs", "pictures", "footage", "scans", "frames", "videos", "imagery"}
_PRODUCT = {"app", "apps", "application", "project", "team", "company", "startup", "website", "platform", "filter", "feature",
            "pipeline", "tool", "kiosk", "dashboard", "plugin"}
_OUTPUT_KIND = {"per-pixel", "pixel-wise", "pixel-level", "pixel-accurate", "pixel-exact", "bounding", "binary", "instance",
                "semantic", "segmentation"}
_IRREGULAR_PLURALS = {"people", "children", "men", "women", "mice", "geese", "sheep", "fish", "deer", "cattle", "teeth",
                      "feet"}


def _plural(word: str) -> bool:
    w = word.lower().strip(",'\"")
    return w in _IRREGULAR_PLURALS or (w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3)


def _read_item(part: str) -> tuple[list[str], bool]:
    """Words of one list item up to a stop word; the flag says whether the list ends here."""
    kept: list[str] = []
    words = part.split()
    for j, w in enumerate(words):
        low = w.lower().strip(",'\"")
        # "their gloves": a leading possessive is stripped later; "free or taken": a lone participle is a class
        if low == "in" and kept and j + 1 < len(words) and words[j + 1].lower() in ("situ", "vitro", "vivo"):
            kept.append(w)  # "carcinoma in situ"
            continue
        if kept and kept[-1].lower() == "in" and low in ("situ", "vitro", "vivo"):
            kept.append(w)
            continue
        if low in _NOUN_TOO and kept and j == len(words) - 1 and not words[j].endswith((",", ".")):
            kept.append(w)
            continue
        if low in STOP and (kept or low not in LEADING) and not (len(words) == 1 and low in _LONE_PARTICIPLES):
            return kept, True
        # "carts left in the lot", "cars parked on the street": a participle phrase ends the item
        if (kept and j + 1 < len(words) and words[j + 1].lower() in _PREPOSITIONS
                and (low in _PARTICIPLES or (low.endswith("ed") and not low.endswith("eed") and len(low) > 4))):
            return kept, True
        if kept and low in _VERB_ING:  # "the athlete doing push-ups"
            return kept, True
        # "workers lifting boxes": a participle after a plural noun starts a new phrase;
        # "shopping carts", "swimming pools": an -ing word before the noun is part of the name
        if kept and low.endswith("ing") and len(low) > 4 and low not in _ING_NOUNS and _plural(kept[-1]):
            return kept, True
        kept.append(w)
    return kept, False


# "each bird, specifically sparrows and robins": the examples after a category name the classes
_NAMELY = re.compile(r"^(?P<cat>(?:[\w'-]+\s+){0,3}?[\w'-]+)(?:\s*,\s*|\s+)(?:specifically|namely|such\s+as|like|that\s+is|"
                     r"for\s+example|to\s+be\s+(?:precise|exact))\s*,?\s+(?P<rest>.+)$", re.I | re.S)
# "classes=[sugar beet, thistle]", "objects: {cat, dog}": the brackets hold the list
_BRACKETED = re.compile(r"^\s*[\[{(]([^\]})]+)[\]})]")


def read_list(s: str) -> list[str]:
    """Items of the list that starts at the beginning of ``s`` ("A, B and C in ..." -> [A, B, C])."""
    bracketed = _BRACKETED.match(s)
    if bracketed:
        s = bracketed.group(1)
    namely = _NAMELY.match(HARD_END.split(s, maxsplit=1)[0])
    if namely and len(_read_plain(namely.group("cat"))) == 1 and not any(
            w.lower() in STOP or w.lower() in VERB_STOP for w in namely.group("cat").split()):
        examples = _read_plain(namely.group("rest"))
        if examples:
            return examples
    return _read_plain(s)


# "workers with helmets, workers without helmets", "bottles which are broken and bottles which have no label":
# when one head noun starts several items, what follows it tells the classes apart
_QUALIFIER = re.compile(r"^(?:(?P<with>with|without)\s+(?P<no>no\s+)?|"
                        r"(?:which|that|who)\s+(?:(?:is|are|was|were)\s+(?P<adj>(?:not\s+)?[\w'-]+)\b|"
                        r"(?:have|has)\s+(?P<hasno>no\s+|not\s+(?:got\s+)?)?))", re.I)


def _qualified(kept: list[str], rest: list[str], parts: list[str]) -> list[str] | None:
    """The item's words with its qualifying phrase ``rest`` when ``kept``'s head noun starts another list item."""
    head = singular(kept[-1].lower())
    if sum(1 for p in parts if head in {singular(w.lower()) for w in p.split()}) < 2:
        return None
    text = " ".join(rest)
    m = _QUALIFIER.match(text)
    if not m:
        return None
    while kept and kept[0].lower() in LEADING:
        kept = kept[1:]
    kept = kept[:-1] + [case_singular(kept[-1])] if kept else kept
    if not kept:
        return None
    if m.group("adj"):
        return [m.group("adj").replace("not ", "non-")] + kept
    thing = []
    for w in text[m.end():].split():
        if w.lower() in STOP or len(thing) == 3:
            break
        if w.lower() not in ("a", "an", "the", "any"):
            thing.append(w)
    if not thing:
        return None
    without = (m.group("with") or "").lower() == "without" or m.group("no") or m.group("hasno")
    return kept + ["without" if without else "with"] + thing


_PARALLEL = re.compile(r"^\s+(?:\w+ing|who|that|which)\b", re.I)
_PARALLEL_NEXT = re.compile(r"^\s*(?:the\s+|a\s+|an\s+)?[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?\s+(?:\w+ing|who|that|which)\b", re.I)


# a list said without commas: "a husky a malamute or a samoyed", "the sky the sea and the sand"
_DET_RUN = re.compile(r"(?<=[a-z])\s+(?=(?:the|a|an)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+(?:(?:the|a|an|and|or)\s|$))", re.I)


def _read_plain(s: str) -> list[str]:
    s = re.sub(r"\s\([^()]{1,30}\)(?=[\s,]|$)", "", s)  # "the cactus pads (nopal) and the fruits": a gloss, not an end
    head = HARD_END.split(s, maxsplit=1)[0]
    bare = [w for w in re.findall(r"([a-z][\w-]*)\s+(?:the|a|an)\s", head, re.I)
            if w.lower() not in STOP and w.lower() not in VERB_STOP and w.lower() not in ("and", "or")]
    if "," not in head and bare and re.search(r"\s(?:and|or)\s+(?:the|a|an)\s", head, re.I):
        s = _DET_RUN.sub(lambda m: m.group(0) if head[:m.start()].split()[-1].lower() in STOP | VERB_STOP | {"and", "or"}
                         else ", ", head) + s[len(head):]
    seg = _PRESENCE_OF.sub("", _FILLERS.sub("", HARD_END.split(s, maxsplit=1)[0]))
    seg = _QUANTIFIER.sub("", seg)
    items: list[str] = []
    parts = _SEP.split(seg)
    for part in parts:
        words = part.split()
        if not words:
            continue
        first = words[0].lower()
        first = first.split("'")[0] if first.endswith("'s") else first  # "that's it"
        # "detect reach trucks": right after the cue a verb-like word before a plural noun names a kind of thing
        compound = first not in STOP and len(words) > 1 and _plural(words[1]) and words[1].lower() not in STOP
        if (first in VERB_STOP and not compound) or (first in STOP and first not in LEADING
                                   and not (len(words) == 1 and first in _LONE_PARTICIPLES)):
            break
        # a gerund followed by a preposition starts a new clause: ", aiming for ...", ", running at ..."
        # and so does a negation: ", not on GPU"
        if ((first.endswith("ing") and first not in _ING_NOUNS) or first == "not") and len(words) > 1 \
                and words[1].lower() in STOP:
            break
        if first == "not" and (not items or (len(words) > 1 and words[1].lower() in ("the", "a", "an", "any", "my", "our"))):
            break  # "violinists and cellists, not the conductor"
        if (first in _PARTICIPLES or first in ("broken", "split", "sorted", "grouped") or first.endswith("ed")) and len(words) > 1 \
                and words[1].lower() in ("down", "up", "out", "by", "into", "per", "from", "through", "via", "using"):
            break  # "broken down by hour", "canoeists, filmed from the riverbank"
        kept, ended = _read_item(part)
        if ended and kept:
            qualified = _qualified(kept, words[len(kept):], parts)
            if qualified:
                kept, ended = qualified, False
        if len(kept) == 1 and kept[0].lower() in _MODEL_QUALITIES:
            if items:
                break
            continue  # "a robust, efficient classifier": words about the model, not classes
        if kept and kept[-1].lower() in _PURPOSE_NOUNS:
            break
        if len(kept) > 1 and kept[-1].lower() in ("excluded", "aside", "apart", "included"):
            break
        if ended and _NOT_WANTED.match(part[len(" ".join(kept)):] if part.startswith(" ".join(kept)) else ""):
            break
        item = clean_item(kept)
        if item:
            items.append(item)
        nxt = parts[parts.index(part) + 1] if part in parts and parts.index(part) + 1 < len(parts) else ""
        if ended and item and _PARALLEL.match(part[part.find(kept[-1]) + len(kept[-1]):] if kept else "") \
                and _PARALLEL_NEXT.match(nxt):
            continue  # "riders who wear no helmet and passengers who wear no helmet": the next item has the same shape
        if ended:
            break
    # "hamster vs guinea pig vs rabbit classifier": the model noun ends the list; alone it names no class
    if items and items[-1].split()[-1].lower() in _MODEL_NOUNS:
        rest = " ".join(items[-1].split()[:-1])
        items = items[:-1] + [rest] if rest and len(items) > 1 and rest.lower() not in _MODEL_QUALITIES else items[:-1]
    # "step 1, step 2 or step 3 of the assembly": a trailing "of" phrase on the last item only qualifies the list
    if len(items) >= 2 and " of the " in items[-1] and not any(" of " in it for it in items[:-1]):
        items[-1] = items[-1].split(" of the ")[0]
    return items


_TASK_VERBS = VERB_STOP | {"localize", "localise", "count", "track", "measure", "outline", "label", "mark",
               "extract", "separate", "highlight", "flag", "tag", "annotate", "crop"}


def _skip_more_verbs(rest: str) -> str:
    """ "find and count sheep" -> "sheep": drop further verbs chained to the cue."""
    while True:
        m = re.match(r"(?:and|or|&|/|then|plus)\s+(?:also\s+)?([a-z]+)\s+", rest, re.I)
        if not m or m.group(1).lower() not in _TASK_VERBS:
            return rest
        rest = rest[m.end():]


def list_after(rx: re.Pattern[str], text: str, min_items: int = 1) -> list[str]:
    """The first list of at least ``min_items`` items that follows a match of ``rx`` in ``text``."""
    for m in rx.finditer(text):
        rest = _skip_more_verbs(text[m.end():])
        # "detect, on each camera image, the barcodes": skip a phrase set off by commas
        rest = re.sub(r"^\s*(?:on|in)\s+(?:the\s+|each\s+|every\s+)?(?:picture|photo|image|frame|scan)s?\s+(?=the\s)", "", rest,
                      flags=re.I)  # "separates on picture the zones of ..."
        rest = re.sub(r"^\s*,\s*(?:(?:on|in|at|from|for|with|using|within|across|over|after|during|inside)\b[^,]{0,60}|"
                      r"please|if\s+possible|ideally|pixel\s+(?:by|for)\s+pixel|automatically|reliably),\s*", "", rest, flags=re.I)
        items = read_list(rest)
        if len(items) >= min_items:
            return items
    return []
