"""Self-corrections in a request: "X, sorry, I mean Y", "cats, er, actually dogs", "30 fps... make that 40 fps".

``apply_corrections(text)`` removes the corrected item X and the marker and
keeps Y, so the later stages see only what the user settled on. X is the
last mention of Y's kind (model, engine, dataset, device, number) before the
marker. When Y is plain words (objects) that narrow an earlier list ("cats,
dogs and rabbits ... no wait, only cats and dogs"), Y takes that list's
place; other plain words replace as many words before the marker.
"""

from __future__ import annotations

import re

from . import entities
from .items import STOP, VERB_STOP
from .lamp import singular
from .numbers import NUM_RE

_FILLER = r"(?:(?:sorry|er|erm|um|uh|oops|oh|ah|no|wait|hmm|well)\s*[,.!]*\s*)*"
MARKER_RE = re.compile(
    r"(?:\s*(?:,|;|\.\.\.|…|\s-\s|\())?\s*" + _FILLER +
    r"\b(?:i\s+mean(?:t)?|or\s+rather|make\s+(?:that|it)|(?P<withdraw>scratch\s+that|forget\s+that|strike\s+that|"
    r"never\s*mind(?:\s+that)?|on\s+second\s+thoughts?)|correction(?=\s*[:,])|let\s+me\s+rephrase|"
    r"let'?s\s+(?:say|make\s+(?:that|it)|go\s+with))\b\s*[:,]?\s*"
    r"|(?:,|;|\.\.\.|…|\s-\s)\s*" + _FILLER + r"\b(?:actually|rather|no\s*,?\s*wait)\b\s*[:,]?\s*"
    r"|(?:,|;|\.\.\.|…|\s-\s)\s*(?:(?:sorry|oops|er|erm|um|uh|ah|no)\b[\s,]*)*(?:sorry|oops|er|erm|um|uh|ah|no)\s*,\s*(?:(?:the\s+)?correct\s+(?:one\s+|value\s+|number\s+)?is\s+)?"
    r"|[.?!]\s+actually\s*,?\s*(?=(?:only|just|drop|remove|skip|exclude|leave|forget)\b)|[.?!]\s+no\s*,\s*actually\s*,?\s*"
    r"|[.!]\s+(?:no\s*,?\s*wait|wait\s*,?\s*no)\b\s*[:,.!]*\s*"
    r"|[.?!]\s+no\s*(?:,|-|:)\s*(?=(?:only|just)\b)|\?\s+no\s*(?:,|-|:)\s*(?=(?:of|for|the|a|an|on|in)\b)"
    # "30 fps. Sorry, 60 fps.": only a correction when a number or name follows (see apply_corrections)
    r"|(?P<soft>[.!]\s+(?:(?:oh|ah)\s*,?\s*)?(?:sorry|oops)\s*[,:]\s*)",
    re.I)
_CLAUSE_VERB = re.compile(r"\b(?:want|wants|need|needs|should|must|will|is|are|has\s+to|have\s+to|prefer\w*|go\s+with|"
                          r"use|run|runs)\b", re.I)
_CLAUSE_END = re.compile(r"[,;.!?()]|\s-\s|$")
_WORD_RE = re.compile(r"[\w'+-]+")


def _replacement_span(text: str, start: int) -> tuple[int, int]:
    m = _CLAUSE_END.search(text, start)
    end = m.start() if m else len(text)
    # "0.05 s" contains a dot: do not stop inside a number
    while m and text[m.start():m.start() + 1] == "." and m.start() + 1 < len(text) and text[m.start() + 1].isdigit():
        m = _CLAUSE_END.search(text, m.start() + 1)
        end = m.start() if m else len(text)
    return start, end


def _typed(segment: str) -> list[str]:
    kinds = []
    if entities.find_metrics(segment):
        kinds.append("metric")
    if entities.find_models(segment):
        kinds.append("model")
    if entities.find_engines(segment):
        kinds.append("engine")
    if entities.find_datasets(segment):
        kinds.append("dataset")
    if entities.find_devices(segment):
        kinds.append("device")
    if NUM_RE.search(segment):
        kinds.append("number")
    return kinds


def _last_before(text: str, kind: str, limit: int) -> tuple[int, int] | None:
    window_start = max(0, limit - 120)
    window = text[window_start:limit]
    if kind == "number":
        spans = [m.span() for m in NUM_RE.finditer(window)]
        # take the number with its unit: up to the marker or the next comma
        if not spans:
            return None
        s, _ = spans[-1]
        return window_start + s, limit
    finder = {"model": entities.find_models, "engine": entities.find_engines, "dataset": entities.find_datasets,
              "device": entities.find_devices, "metric": entities.find_metrics}[kind]
    found = finder(window)
    if not found:
        return None
    last = found[-1]
    if kind == "model":  # "SimpleBaseline ResNet-50": names written together are one choice
        first = last
        for prev in reversed(found[:-1]):
            if re.fullmatch(r"[\s,/+-]*(?:with\s+(?:a\s+)?)?", window[prev.end:first.start]):
                first = prev
            else:
                break
        return window_start + first.start, window_start + last.end
    if kind == "metric":  # the name with its value: "90% accuracy" or "mIoU 0.8" up to the marker
        before = re.search(r"\d[\d.,]*\s*%?\s*(?:of\s+)?$", window[:last.start])
        return window_start + (before.start() if before else last.start), limit
    return window_start + last.start, window_start + last.end


def _after_last_verb(text: str, limit: int) -> tuple[int, int] | None:
    """Span from after the last task verb of the sentence before ``limit`` to the end of that sentence."""
    start = max(text.rfind(c, 0, limit) for c in ".!?;\n") + 1
    if start >= limit:  # the marker ends the sentence: look at the one before it
        start = max(text.rfind(c, 0, limit - 1) for c in ".!?;\n") + 1
    verbs = [w for w in _WORD_RE.finditer(text, start, limit) if w.group(0).lower() in _TASK_WORDS]
    if not verbs:
        return None
    end = limit
    while end > verbs[-1].end() and text[end - 1] in ".!?; ":
        end -= 1
    return verbs[-1].end(), end


def _unit_of(span: str) -> str:
    """The unit written after the number at the start of ``span`` ("30 FPS, " -> "FPS"), or ""."""
    um = re.match(r"\s*\d[\d.,]*\s*([A-Za-z%][A-Za-z%/ -]*?)\s*[,;]?\s*$", span)
    return um.group(1) if um else ""


_TASK_WORDS = {"detect", "classify", "segment", "estimate", "locate", "find", "count", "recognise", "recognize",
               "identify", "spot", "track", "sort", "label", "outline"}
# words that start both the correction and the phrase it replaces ("the sound... sorry, the photo",
# "joints? No - of the workers")
_DETERMINERS = {"the", "a", "an", "my", "our", "this", "that", "each", "every", "these", "those", "of", "for", "on", "in"}


def _same_start(text: str, limit: int, first: str) -> tuple[int, int] | None:
    """ "classify the sound... sorry, the photo of ...": Y starts with a determiner, X is that phrase before the marker."""
    if first.lower() not in _DETERMINERS:
        return None
    clause_start = max(text.rfind(c, 0, limit) for c in ",;:.(") + 1
    found = [m for m in re.finditer(rf"\b{re.escape(first)}\b", text[clause_start:limit], re.I)]
    if not found:
        return None
    return clause_start + found[-1].start(), limit


def _words_before(text: str, limit: int, n: int) -> tuple[int, int] | None:
    words = [m for m in _WORD_RE.finditer(text, 0, limit)]
    if not words:
        return None
    # stop at the start of the clause the marker ends
    clause_start = max(text.rfind(c, 0, limit) for c in ",;:.(") + 1
    picked = [w for w in words if w.start() >= clause_start][-n:]
    # "detect falls - I mean fallen people": the verb is not what is corrected
    while picked and picked[0].group(0).lower() in VERB_STOP | _TASK_WORDS:
        picked = picked[1:]
    if not picked:
        return None
    return picked[0].start(), picked[-1].end()


_CORRECTION_WORDS = {"actually", "instead", "rather", "then", "please", "sorry"}
_TOKEN_RE = re.compile(r"[A-Za-z0-9][\w'+-]*|[^\sA-Za-z0-9]")
_NARROWING = re.compile(r"^\s*(?:only|just|simply|merely)\s+(?:the\s+)?", re.I)
_JOINERS = {",", "and", "or", "&", "/"}


_TASK_NOUNS = {"of"}  # "the pose of the horse and the jockey": the list starts after "of"


def _list_boundary(tok: str) -> bool:
    low = tok.lower()
    return (not tok[0].isalnum() and tok not in (",", "/", "&")) or low in STOP or low in VERB_STOP or low in _TASK_NOUNS


def _narrowed_list(text: str, limit: int, words: list[str]) -> tuple[int, int] | None:
    """Span of the list before ``limit`` that holds every one of ``words`` (a narrowing correction) or
    whose words are all among them (a widening one), compared singular; None when there is none."""
    wanted = {singular(w) for w in words if w.lower() not in _JOINERS}
    if not wanted:
        return None
    toks = list(_TOKEN_RE.finditer(text, max(0, limit - 250), limit))
    for k in range(len(toks) - 1, -1, -1):
        if singular(toks[k].group(0)) not in wanted:
            continue
        lo = k
        while lo > 0 and not _list_boundary(toks[lo - 1].group(0)):
            lo -= 1
        hi = k
        while hi + 1 < len(toks) and not _list_boundary(toks[hi + 1].group(0)):
            hi += 1
        while toks[hi].group(0).lower() in _JOINERS:
            hi -= 1
        span = toks[lo:hi + 1]
        found = {singular(t.group(0)) for t in span} - _JOINERS
        narrows = wanted <= found and any(t.group(0).lower() in _JOINERS for t in span)
        widens = found < wanted  # "pills. Actually make it pills and syringes"
        if narrows or widens:
            return toks[lo].start(), toks[hi].end()
    return None


# "actually drop the motorcycles": Y removes items from the earlier list instead of replacing them
_REMOVAL = re.compile(r"^\s*(?:(?:drop|remove|forget(?:\s+about)?|skip|exclude|leave\s+out|take\s+out|minus)\s+(?:the\s+)?"
                      r"(?P<items>[\w' -]+?)|leave\s+(?:the\s+)?(?P<items2>[\w' -]+?)\s+out)"
                      r"(?:\s+(?:because|since|as|and|but|so|for)\b.*)?\s*$", re.I)


def _remove_items(text: str, limit: int, words: list[str]) -> str | None:
    """``text[:limit]`` with the last list item made of ``words`` (compared singular) and its joiner cut out."""
    wanted = [singular(w) for w in words]
    toks = list(_TOKEN_RE.finditer(text, max(0, limit - 250), limit))
    n = len(wanted)
    for k in range(len(toks) - n, -1, -1):
        if [singular(t.group(0)) for t in toks[k:k + n]] != wanted:
            continue
        a, b = toks[k].start(), toks[k + n - 1].end()
        before = text[:a]
        joined = re.search(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$", before)
        if joined:
            a = joined.start()
            # "A, B and C" minus C: the comma before B becomes the list's "and"
            if re.search(r"\band\b|\bor\b", joined.group(0)) and "," in text[max(0, a - 60):a]:
                c = text.rfind(",", 0, a)
                text, a, b = text[:c] + " and" + text[c + 1:], a + 3, b + 3
        else:
            after = re.match(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text[b:limit])
            if not after:
                continue
            b += after.end()
        return text[:a] + text[b:]
    return None


# "Scratch lifebuoys, I meant life rafts": X is struck from the earlier list and Y takes its place
_STRIKE = re.compile(r"(?:^|(?<=[.!?;]\s))(?:(?:no\s*,?\s*wait|actually|oh|sorry)\s*,?\s*)?(?:scratch|strike|drop|forget|remove|ignore)\s+(?:the\s+)?(?P<x>[\w' -]+?)\s*[,;:-]+\s*"
                     r"(?:i\s+meant|i\s+mean|make\s+(?:it|that)|use|add|instead\s+use)\s+(?:the\s+)?(?P<y>[\w' -]+?)\s*(?=[.!?;]|$)",
                     re.I)


# "Oh, I wrote formwork but I meant scaffolding"
_WROTE_MEANT = re.compile(r"(?:\b(?:oh|sorry|ah)\s*,?\s*)?\bi\s+(?:wrote|said|put|listed|typed)\s+(?:the\s+)?(?P<x>[\w' -]+?)\s*,?\s+"
                          r"but\s+(?:i\s+)?meant\s+(?:the\s+)?(?P<y>[\w' -]+?)\s*(?=[.!?;,]|$)", re.I)


def _strike_and_replace(text: str) -> str:
    """ "Scratch X, I meant Y", "I wrote X but I meant Y": X in the earlier list becomes Y and the phrase goes."""
    for rx in (_STRIKE, _WROTE_MEANT):
        for m in list(rx.finditer(text))[::-1]:
            words = _WORD_RE.findall(m.group("x"))
            toks = list(_TOKEN_RE.finditer(text, max(0, m.start() - 250), m.start()))
            wanted = [singular(w) for w in words]
            for k in range(len(toks) - len(wanted), -1, -1):
                if [singular(t.group(0)) for t in toks[k:k + len(wanted)]] == wanted:
                    a, b = toks[k].start(), toks[k + len(wanted) - 1].end()
                    text = text[:a] + m.group("y") + text[b:m.start()] + text[m.end():]
                    break
    return text


def apply_corrections(text: str) -> str:
    """The text with every corrected item and its correction marker removed."""
    text = _strike_and_replace(text)
    for _ in range(10):  # each pass resolves the first marker
        m = MARKER_RE.search(text)
        if not m:
            return text
        r_start, r_end = _replacement_span(text, m.end())
        replacement = text[r_start:r_end]
        kinds = _typed(replacement)
        swap = re.match(r"\s*not\s+(?:the\s+)?([\w' -]+?)\s*$", replacement) if not kinds else None
        new = re.match(r"\s*,\s*(?:but\s+)?(?:the\s+)?([\w' -]+?)\s*(?=[.;!?]|$)", text[r_end:]) if swap else None
        if swap and new:
            words = _WORD_RE.findall(swap.group(1))
            cut = _remove_items(text, m.start(), words) if words else None
            if cut is not None:  # put Y where X stood in the list
                removed = len(text) - len(cut)
                head = cut[:m.start() - removed].rstrip()
                text = head + " and " + new.group(1) + ". " + text[r_end + new.end():]
                continue
        if m.group("soft") and not kinds:  # "Sorry, I forgot: ..." is not a correction
            text = text[:m.start()] + ". " + text[m.end():]
            continue
        if m.group("withdraw") and _CLAUSE_VERB.search(replacement):
            # "it was going to run on the GPU box - scratch that, they want it on laptops": the statement before
            # the marker is withdrawn whole, and the clause after it says what holds
            before = text[:m.start()].rstrip(" .!?;,")  # "Use a PSPNet. Scratch that, ...": the sentence before
            start = max(before.rfind(c) for c in ".!?;\n") + 1
            text = text[:start] + " " + text[m.end():]
            continue
        target = None
        for kind in kinds:
            target = _last_before(text, kind, m.start())
            if target:
                if kind == "number":  # "30 fps, no wait, make that 45": the new number keeps the old unit
                    replacement_unit = _unit_of(text[target[0]:target[1]])
                    # "5 million parameters; no, make that 6 million" / "20M parameters; actually, say 15M"
                    said = re.fullmatch(r"\s*(?:say|maybe|rather|use)?\s*\d[\d.,]*\s*([A-Za-z]*)\s*", replacement)
                    if replacement_unit and said:
                        have = said.group(1).lower()
                        unit_words = replacement_unit.split()
                        if have and unit_words and unit_words[0].lower().startswith(have):
                            unit_words = unit_words[1:]
                        if unit_words and not (have and not replacement_unit.lower().startswith(have[:1])):
                            text = text[:r_end] + " " + " ".join(unit_words) + text[r_end:]
                break
        removal = _REMOVAL.match(replacement) if not kinds else None
        if removal:
            group = "items" if removal.group("items") else "items2"
            cut = _remove_items(text, m.start(), _WORD_RE.findall(removal.group(group)))
            if cut is not None:  # the removal is cut out; what follows it ("and add inclusions instead") stays
                removed = len(text) - len(cut)
                cut_end = r_start + removal.end(group) + (4 if group == "items2" else 0)
                text = cut[:m.start() - removed] + ". " + cut[cut_end - removed:]
                continue
        if target is None:
            narrowed = _NARROWING.sub("", replacement)
            span = _narrowed_list(text, m.start(), _WORD_RE.findall(narrowed))
            if span is not None:  # Y takes the place of the list it narrows
                a, b = span
                text = text[:a] + narrowed.strip() + text[b:m.start()] + " " + text[r_end:]
                continue
            if narrowed != replacement:  # "Detect ten kinds of fruit? No - only bananas": Y replaces the verb's object
                span = _after_last_verb(text, m.start())
                if span is not None:
                    a, b = span
                    # the narrowed list runs to the end of its sentence ("just species: robin, wren, tit.")
                    se = re.search(r"[.;!?](?:\s|$)", text[r_start:])
                    s_end = r_start + se.start() if se else len(text)
                    narrowed = _NARROWING.sub("", text[r_start:s_end])
                    text = text[:a] + " " + narrowed.strip() + text[b:m.start()] + ". " + text[s_end:]
                    continue
            # "sheep, er, goats actually": the words that say it is a correction replace nothing
            words = [w for w in _WORD_RE.findall(replacement) if w.lower() not in _CORRECTION_WORDS]
            target = _same_start(text, m.start(), words[0]) if words else None
            target = target or _words_before(text, m.start(), max(1, len(words)))
        if target is None:
            text = text[:m.start()] + " " + text[m.end():]
            continue
        a, b = target
        text = text[:a] + text[b:m.start()] + " " + text[m.end():]
    return text
