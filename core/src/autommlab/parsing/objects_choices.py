"""Objects named as the alternatives of a choice or question.

"tell A and B apart", "distinguish A from B", "whether the N is A or B",
"if there is an X or not", "is the traffic light red, amber or green?", "say
if it's A or B", "which of A, B or C", "says A or B", "detects when my dog
jumps". Each finder takes the masked request text (see ``objects``) and
returns the items it reads, or an empty list.
"""

from __future__ import annotations

import re

from .items import HARD_END, LEADING, case_singular, clean_item, read_list

_TELL_APART = re.compile(r"\btell(?:s|ing)?\s+apart\s+|\btell(?:s|ing)?\s+(?=(?:[\w',-]+\s+){1,8}?apart\b)|"
                         r"\btell(?:s|ing)?\s+(?=(?:[\w'-]+\s+){1,4}?from\b)|"
                         r"\btell(?:s|ing)?\s+(?=(?:[\w',-]+\s+){1,8}?from\s+(?:each\s+other|one\s+another)\b)|"
                         r"\b(?:distinguish\w*|discriminat\w*|differentiat\w*|separat(?:e|es|ing))\s+(?:between\s+)?", re.I)
_NOT_A_CLASS = {"background", "backgrounds", "the background", "surroundings", "everything else", "the rest", "rest",
                "other", "others"}
_FROM_B = re.compile(r"^(.+?)\s+from\s+(.+)$", re.I)
_WHETHER = re.compile(r"\b(?:whether|if)\s+(?:a|an|the|each|every|this|that)?\s*([\w'-]+(?:\s+[\w'-]+){0,2}?)"
                      r"(?:\s+(?:on|in|at|under|near|of|from)\s+(?:the\s+|a\s+|an\s+)?[\w'-]+(?:\s+[\w'-]+)?)?\s+"
                      r"(is|are|looks|look|shows|show|contains|contain|has|have|depicts|depict|wears?|carr(?:y|ies)|"
                      r"holds?|uses?)\s+", re.I)
# "say if it's basil, mint or parsley"
IF_ITS = re.compile(r"\b(?:whether|if|which)\s+(?:it|this|that|they)\s*(?:'s|'re|\s+is|\s+are|\s+shows?|\s+has|\s+contains?)\s+"
                    r"(?:a\s+|an\s+)?",
                    re.I)

# "classify the fabric, is it cotton, silk or wool?": the alternatives of a yes/no-or question
IS_IT = re.compile(r"(?:^|[,.;:?!]|\s-)\s*(?:so\s+|and\s+|which\s+one\s+)?(?:(?:is|are)\s+(?:it|this|that|they|these)|"
                   r"(?:it|this)\s+(?:is|'s))\s*,?\s+(?:a\s+|an\s+)?"
                   r"(?=[\w'-]+(?:\s+[\w'-]+){0,3}(?:\s*,\s*[\w'-]+(?:\s+[\w'-]+){0,3})*\s*,?\s+or\s+)", re.I)

WHICH_OF = re.compile(r"\bwhich\s+of\s+(?:the\s+|these\s+|those\s+)?", re.I)

# "detects when my dog jumps on the couch": the subject of the event is the object
_WHEN_DOES = re.compile(r"\b(?:detect|notice|spot|see|tell|alert)\w*\s+(?:us\s+|me\s+)?(?:when|whenever|if)\s+"
                        r"(?:a|an|the|my|our|any|some)\s+([\w-]+)\s+(?!(?:is|was|has|does|goes)\b)[a-z]{2,}s\b", re.I)
# "a phone app that says edible or poisonous"
SAYS = re.compile(r"\b(?:says?|answers?|tells?|outputs?|returns?|reports?|decides?|picks?|chooses?)\s+(?:us\s+|me\s+)?"
                  r"(?:if\s+|whether\s+|between\s+)?"
                  r"(?=[\w-]+(?:\s+[\w-]+){0,2}(?:\s*,\s*[\w-]+(?:\s+[\w-]+){0,2})*\s*,?\s+or\s+[\w-]+)", re.I)

# "say when a shelf is empty vs. stocked" (read late: "when" is often just a condition)
WHEN = re.compile(r"\bwhen\s+(?:a|an|the|each|every|this|that)\s+([\w'-]+)\s+(is|are|looks|look)\s+", re.I)

# "is the parcel damaged or intact?", "is the traffic light red, yellow or green?"
IS_THE = re.compile(r"\b(?:is|are)\s+(?:the|this|that|each|every|a|an|my|our)\s+([\w'-]+(?:\s+[\w'-]+)?)\s+"
                    r"(?=[\w'-]+(?:\s*,\s*[\w'-]+)*\s*,?\s+or\s+)", re.I)

def tell_apart(text: str) -> list[str]:
    for m in _TELL_APART.finditer(text):
        rest = re.sub(r"\s+from\s+(?:each\s+other|one\s+another)\b", " apart", text[m.end():], flags=re.I)
        seg = HARD_END.split(rest, maxsplit=1)[0]
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


# "if there is a fracture or not"
_THERE_IS = re.compile(r"\b(?:whether|if)\s+there\s+(?:is|are)\s+(?:a\s+|an\s+|any\s+)?", re.I)


def there_is(text: str) -> list[str]:
    m = _THERE_IS.search(text)
    items = read_list(text[m.end():]) if m else []
    if len(items) == 2 and items[1].lower() in ("not", "none", "nothing"):
        return [items[0], f"no {items[0]}"]
    return items if len(items) >= 2 else []


def whether(text: str, rx: re.Pattern[str] = _WHETHER) -> list[str]:
    m = rx.search(text)
    if not m or m.group(1).lower() in ("there", "it", "they", "this", "that", "he", "she"):
        return []
    items = read_list(text[m.end():])
    if len(items) == 2 and items[1].lower() == "not":  # "wear their gloves or not"
        return [items[0], f"no {items[0]}"]
    if len(items) < 2:
        return []
    noun = m.group(1)
    verb = m.group(2).lower() if rx.groups > 1 else "is"
    words = noun.split()
    if verb in ("is", "are", "looks", "look") and (len(words) == 1 or rx is IS_THE) and words[0].lower() not in LEADING:
        noun_s = " ".join(words[:-1] + [case_singular(words[-1])])
        return [f"{it} {noun_s}" if len(it.split()) == 1 else it for it in items]
    return items

def when_does(text: str) -> list[str]:
    m = _WHEN_DOES.search(text)
    item = clean_item([m.group(1)]) if m else None
    return [item] if item else []
