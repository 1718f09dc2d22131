"""Which named model the request asks for, among the models it mentions.

Requests name models they want ("please go with HRNet-W32", "the decision is
RTMPose-m") and models they do not: ones in use or tried before ("our current
PSPNet", "we first tried DEKR"), ones someone else suggested ("a colleague
suggested YOLOX, but ..."), ruled out ("no two-stage models like Faster
R-CNN", "HRNet-W48 is overkill"), or only the backbone of the one asked for.
``choose_model(text, models)`` returns the asked-for model's name or "none".
"""

from __future__ import annotations

import re
from typing import Sequence

from .clauses import clause_of, past
from .entities import Mention

# the model is the one chosen: "go with X", "the decision is X", "we'd prefer a semantic model (X)", "X specifically"
_CHOSEN_BEFORE = re.compile(r"\b(?:go\s+with|decision\s+is|decided\s+on|prefer(?:ably)?|please\s+use|(?:let's|we'll|we\s+will)\s+use|"
                            r"we\s+adopt|adopt(?:ing)?|using|use|asked\s+for|changed\s+the\s+model\s+to|"
                            r"only\s+supports|stick\s+with|settled\s+on|instead\s+use|switch\s+to)\b[\w\s,(-]{0,40}$", re.I)
_CHOSEN_AFTER = re.compile(r"^(?:\s*specifically\b|\s*if\s+possible\b|[^.;!?]{0,60}\b(?:happy\s+if\s+you\s+used\s+it|"
                           r"is\s+(?:our|the)\s+(?:choice|pick)|fine\s+by\s+(?:me|us)|(?:sounds|is)\s+(?:fine|good|ok)\s+(?:to|for|by)\s+"
                           r"(?:me|us)|works\s+for\s+(?:me|us)))",
                           re.I)
# the model is context only: suggested by someone, liked, not maintained, any model works
_CONTEXT_ONLY = re.compile(r"\b(?:suggested|recommended|mentioned|talks?\s+(?:a\s+lot\s+)?about|likes|liked|"
                           r"(?:first|once|previously)\s+(?:wanted|tried|looked\s+at|used|built|quoted)|built\s+something|"
                           r"nobody\s+maintains|ignore\s+it|not\s+attached|any\s+model\s+works|don't\s+want|do\s+not\s+want|"
                           r"years\s+ago|fine-?tuned\s+a)\b", re.I)
# the request asks for another model than the one in use
_REPLACEMENT = re.compile(r"\b(?:replacement|replace\s+(?:it|that|this|them)|any\s+architecture|no\s+architecture\s+preference|"
                          r"whatever\s+architecture|too\s+brittle|did(?:n't|\s+not)\s+work|the\s+new\s+one|any\s+model|"
                          r"architecture\s+is\s+(?:deliberately\s+)?(?:left\s+)?open|(?:a|an)\s+(?:new|different|better)\s+(?:model|one|network)|"
                          r"something\s+(?:new|else|better|different))\b", re.I)
_REFINES = re.compile(r"\b(?:precisely|exactly|specifically|namely|to\s+be\s+(?:precise|exact)|i\.?e\.?|that\s+is)\b", re.I)


def _clause(text: str, m: Mention) -> str:
    return clause_of(text, m.start, m.end)


def choose_model(text: str, models: Sequence[Mention]) -> str:
    """The model family or variant asked for, or "none" (see the module doc)."""
    live = [m for m in models if not m.negated]
    chosen = [m for m in live if _CHOSEN_BEFORE.search(text[max(0, m.start - 70):m.start])
              or _CHOSEN_AFTER.match(text[m.end:m.end + 80])]
    if chosen:
        live = chosen[-1:]
    else:
        live = [m for m in live if not m.backbone] or live
        asked = [m for m in live if not past(text, m.start, m.end) and not _CONTEXT_ONLY.search(_clause(text, m))]
        # "Our current PSPNet ... We'd like a replacement": every model named is in use, another is asked for
        if not asked and (_REPLACEMENT.search(text) or any(_CONTEXT_ONLY.search(_clause(text, m)) for m in live)):
            return "none"
        live = asked or live
    # "a Swin Transformer, precisely the Swin-T", "a ViT, exactly ViT-B/16": a later name of the same family refines
    while len(live) > 1 and live[1].value[:3].lower() == live[0].value[:3].lower() and \
            _REFINES.search(text[live[0].end:live[1].start]):
        live = live[1:]
    return live[0].value if live else "none"
