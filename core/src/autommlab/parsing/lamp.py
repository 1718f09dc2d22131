"""LAMP scoring of request parses (AutoMMLab paper; shared/lamp/SCHEMA.md).

Per request, 7 item keys (task, specific_model, speed, flops, parameters, gpu,
inference engine) and 2 list keys (object, metrics) are judged correct or not:

- task, gpu, inference engine: equal (engine case-insensitive).
- specific_model: equal after lower-casing and dropping spaces, '-' and '_'
  ("" and "none" are the same).
- speed, flops, parameters: same unit, and the same value unless the unit is
  "none" (then the value is ignored).
- object: same number of distinct entries and a one-to-one fuzzy match, order-free.
  Names are normalised (lower case, '-'/'_' as spaces, plural words made
  singular) and two names match when rapidfuzz ``token_set_ratio`` >= 85,
  so "healthy leaf" matches "healthy leaves" and "healthy".
- metrics: same number of entries and a one-to-one match on canonical name
  (``schemas.canonical_metric`` plus a few extra spellings) and value
  (percent-like values become fractions; tolerance 1e-4).

Item-level accuracy = correct item keys / (7 * requests); list-level = correct
list keys / (2 * requests); key-level = correct keys / (9 * requests);
request-level = requests with all 9 keys correct / requests. A prediction that
is None or does not validate as a ``Request`` is wrong on every key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from pydantic import ValidationError
from rapidfuzz import fuzz

from ..schemas import Request, as_fraction, canonical_metric

ITEM_KEYS: tuple[str, ...] = ("task", "specific_model", "speed", "flops", "parameters", "gpu", "inference engine")
LIST_KEYS: tuple[str, ...] = ("object", "metrics")
KEYS: tuple[str, ...] = ITEM_KEYS + LIST_KEYS
OBJECT_THRESHOLD = 85.0
VALUE_TOL = 1e-4

# spellings seen in requests that schemas.METRIC_ALIASES does not list
_EXTRA_METRICS = {
    "dice coefficient": "dice", "dice score": "dice", "f1-score": "f1", "f-1": "f1", "f1 measure": "f1",
    "top-1 acc": "accuracy", "top-5 acc": "top5_accuracy", "keypoint ap": "AP", "pose ap": "AP",
    "pixel-accuracy": "pixel_accuracy", "ap@0.50": "AP50", "ap 50": "AP50", "map 50": "AP50",
}


def metric_key(name: str) -> str:
    """Canonical metric name used to compare a gold and a predicted metric."""
    low = re.sub(r"\s+", " ", name.strip().lower())
    return _EXTRA_METRICS.get(low) or canonical_metric(name)


_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "mice": "mouse",
              "geese": "goose", "teeth": "tooth", "feet": "foot", "leaves": "leaf", "knives": "knife",
              "wolves": "wolf", "shelves": "shelf", "calves": "calf", "halves": "half", "lives": "life",
              "buses": "bus", "boxes": "box", "glasses": "glass", "species": "species", "series": "series",
              "fish": "fish", "sheep": "sheep", "deer": "deer", "data": "data",
              # Latin and Greek plurals common in medical, biological and lab requests
              "nuclei": "nucleus", "menisci": "meniscus", "fungi": "fungus", "cacti": "cactus", "bacilli": "bacillus",
              "alveoli": "alveolus", "stimuli": "stimulus", "thrombi": "thrombus", "foci": "focus", "larvae": "larva",
              "vertebrae": "vertebra", "algae": "alga", "antennae": "antenna", "bacteria": "bacterium",
              "mitochondria": "mitochondrion", "phenomena": "phenomenon", "ova": "ovum", "pupae": "pupa",
              # nouns in -ie, which the "-ies" -> "-y" rule would spoil
              "magpies": "magpie", "pies": "pie", "cookies": "cookie", "movies": "movie", "ties": "tie",
              "budgies": "budgie", "collies": "collie", "zombies": "zombie", "selfies": "selfie", "brownies": "brownie",
              "hoodies": "hoodie", "goalies": "goalie", "calories": "calorie", "rookies": "rookie", "birdies": "birdie"}


def singular(word: str) -> str:
    """A plural English noun made singular by common rules ("berries" -> "berry", "buses" -> "bus")."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or w.endswith(("ss", "us", "is", "ous")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "zes", "sses")):
        return w[:-2]
    if w.endswith("oes") and w[:-2] in ("tomato", "potato", "hero", "mango", "volcano", "torpedo"):
        return w[:-2]
    if w.endswith("s") and not w.endswith("'s"):
        return w[:-1]
    return w


def normalize_object(name: str) -> str:
    """Lower case, punctuation to spaces, every word singular."""
    text = re.sub(r"[-_/]", " ", name.lower())
    text = re.sub(r"[^\w\s+]", "", text)
    return " ".join(singular(w) for w in text.split())


def _norm_model(name: str) -> str:
    n = re.sub(r"[\s\-_]", "", (name or "").lower())
    return "none" if n in ("", "none") else n


def _quantity_equal(g: dict[str, Any], p: dict[str, Any]) -> bool:
    if g["unit"] != p["unit"]:
        return False
    if g["unit"] == "none":
        return True
    return abs(float(g["value"]) - float(p["value"])) <= VALUE_TOL * max(1.0, abs(float(g["value"])))


def _one_to_one(gold: Sequence[Any], pred: Sequence[Any], sim) -> bool:
    """True when every gold item has a distinct matching pred item (and the counts agree)."""
    if len(gold) != len(pred):
        return False
    pairs = sorted(((sim(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    for s, i, j in pairs:
        if s is None or s <= 0 or i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
    return len(used_g) == len(gold)


def _distinct(names: Sequence[str]) -> list[str]:
    """Names with duplicates (after normalisation) removed, so ["cloud", "clouds"] counts once."""
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(normalize_object(n), n)
    return list(seen.values())


def _object_sim(a: str, b: str) -> float:
    na, nb = normalize_object(a), normalize_object(b)
    s = fuzz.token_set_ratio(na, nb)
    # plain ratio breaks ties so that exact names pair up first
    return s + fuzz.ratio(na, nb) / 1000 if s >= OBJECT_THRESHOLD else 0.0


def _metric_sim(a: dict[str, Any], b: dict[str, Any]) -> float:
    if metric_key(a["name"]) != metric_key(b["name"]):
        return 0.0
    return 1.0 if abs(as_fraction(float(a["value"])) - as_fraction(float(b["value"]))) <= VALUE_TOL else 0.0


def _flat(req: Request) -> dict[str, Any]:
    d = req.to_json_dict()
    m, dep = d["model"], d["deploy"]
    return {"task": m["task"], "specific_model": m["specific_model"], "speed": m["speed"], "flops": m["flops"],
            "parameters": m["parameters"], "gpu": dep["gpu"], "inference engine": dep["inference engine"],
            "object": d["data"]["object"], "metrics": m["metrics"]}


def as_request(parse: Any) -> Request | None:
    """A ``Request`` from a Request, a parse dict or None; None when it does not validate."""
    if parse is None:
        return None
    if isinstance(parse, Request):
        return parse
    try:
        return Request.model_validate(parse)
    except (ValidationError, TypeError, ValueError):
        return None


def compare(gold: Any, pred: Any) -> dict[str, bool]:
    """Per-key correctness of ``pred`` against ``gold`` (each a Request or a parse dict)."""
    g_req = as_request(gold)
    if g_req is None:
        raise ValueError(f"gold parse does not validate as a Request: {str(gold)[:200]}")
    p_req = as_request(pred)
    if p_req is None:
        return {k: False for k in KEYS}
    g, p = _flat(g_req), _flat(p_req)
    return {
        "task": g["task"] == p["task"],
        "specific_model": _norm_model(g["specific_model"]) == _norm_model(p["specific_model"]),
        "speed": _quantity_equal(g["speed"], p["speed"]),
        "flops": _quantity_equal(g["flops"], p["flops"]),
        "parameters": _quantity_equal(g["parameters"], p["parameters"]),
        "gpu": g["gpu"] == p["gpu"],
        "inference engine": g["inference engine"].lower() == p["inference engine"].lower(),
        "object": _one_to_one(_distinct(g["object"]), _distinct(p["object"]), _object_sim),
        "metrics": _one_to_one(g["metrics"], p["metrics"], _metric_sim),
    }


@dataclass
class KeyMiss:
    """One wrong key of one request (for the error listing)."""

    id: str
    key: str
    gold: Any
    pred: Any


@dataclass
class LampReport:
    n: int
    item_level: float
    list_level: float
    key_level: float
    request_level: float
    per_key: dict[str, float]
    wrong_per_key: dict[str, int]
    unparsed: int
    errors: list[KeyMiss] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "item_level": self.item_level, "list_level": self.list_level,
                "key_level": self.key_level, "request_level": self.request_level, "per_key": self.per_key,
                "wrong_per_key": self.wrong_per_key, "unparsed": self.unparsed,
                "errors": [e.__dict__ for e in self.errors]}


def _value(req: Request | None, key: str) -> Any:
    return None if req is None else _flat(req)[key]


def score(golds: Sequence[Any], preds: Sequence[Any], ids: Sequence[str] | None = None) -> LampReport:
    """LAMP accuracies of ``preds`` (Request, parse dict or None each) against ``golds``."""
    if len(golds) != len(preds):
        raise ValueError(f"{len(golds)} gold parses but {len(preds)} predictions")
    ids = list(ids) if ids is not None else [str(i) for i in range(len(golds))]
    n = len(golds)
    correct = {k: 0 for k in KEYS}
    all_ok = 0
    unparsed = 0
    errors: list[KeyMiss] = []
    for rid, g, p in zip(ids, golds, preds):
        res = compare(g, p)
        p_req = as_request(p)
        unparsed += p_req is None
        g_req = as_request(g)
        for k, ok in res.items():
            correct[k] += ok
            if not ok:
                errors.append(KeyMiss(rid, k, _value(g_req, k), _value(p_req, k)))
        all_ok += all(res.values())
    div = lambda a, b: a / b if b else 0.0  # noqa: E731
    return LampReport(
        n=n,
        item_level=div(sum(correct[k] for k in ITEM_KEYS), len(ITEM_KEYS) * n),
        list_level=div(sum(correct[k] for k in LIST_KEYS), len(LIST_KEYS) * n),
        key_level=div(sum(correct.values()), len(KEYS) * n),
        request_level=div(all_ok, n),
        per_key={k: div(correct[k], n) for k in KEYS},
        wrong_per_key={k: n - correct[k] for k in KEYS},
        unparsed=unparsed,
        errors=errors,
    )
