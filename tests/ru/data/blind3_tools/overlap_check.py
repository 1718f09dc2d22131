"""Overlap check for ru_blind3 (BRIEF.md). Reads the existing request files in code and prints ONLY ids
from this set that are flagged: difflib ratio > 0.5 on lower-cased text, or same task + identical object
list (lower-cased, order-free, simple plural strip). Never prints other files' texts or golds."""
import difflib, glob, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
MINE = os.path.join(HERE, "ru_blind3.jsonl")
OTHERS = sorted(glob.glob("/work/main/tests/ru/data/*.jsonl")) + ["/work/shared/lamp/ru_dev.jsonl"]


def norm_obj(o):
    o = o.lower().strip().replace("-", " ")
    for suf, rep in (("ies", "y"), ("es", ""), ("s", "")):
        if o.endswith(suf) and len(o) > 3:
            if suf == "es" and not o.endswith(("ches", "shes", "sses", "xes")):
                continue
            return o[: -len(suf)] + rep
    return o


def key(r):
    p = r.get("parse", {})
    try:
        return p["model"]["task"], frozenset(norm_obj(o) for o in p["data"]["object"])
    except Exception:
        return None


others = []
for path in OTHERS:
    for line in open(path):
        if line.strip():
            try:
                r = json.loads(line)
            except Exception:
                continue
            if isinstance(r.get("requirement"), str):
                others.append((r["requirement"].lower(), key(r)))

mine = [json.loads(l) for l in open(MINE) if l.strip()]
flagged = 0
for r in mine:
    t, k = r["requirement"].lower(), key(r)
    sm = difflib.SequenceMatcher(None, t, autojunk=False)
    best, objhit = 0.0, 0
    for ot, ok in others:
        sm.set_seq2(ot)
        if sm.real_quick_ratio() > 0.5 and sm.quick_ratio() > 0.5:
            best = max(best, sm.ratio())
        if k is not None and k == ok:
            objhit += 1
    reasons = []
    if best > 0.5:
        reasons.append("ratio %.2f" % best)
    if objhit:
        reasons.append("same task+objects x%d" % objhit)
    if reasons:
        flagged += 1
        print(r["id"], "; ".join(reasons))
print("compared against %d requests; flagged %d of %d" % (len(others), flagged, len(mine)))
