"""Overlap check from BRIEF.md. Reads the other sets programmatically and prints ONLY ids from
ru_blind2.jsonl that are flagged (ratio > 0.5, or same task and identical object list)."""
import difflib, glob, json

def norm_obj(objs):
    out = []
    for o in objs:
        o = o.lower().strip()
        if o.endswith("es") and o[:-2].endswith(("sh", "ch", "x", "ss")): o = o[:-2]
        elif o.endswith("s") and not o.endswith("ss"): o = o[:-1]
        out.append(o)
    return tuple(sorted(out))

mine = [json.loads(l) for l in open("/work/ru_sets/blind2/ru_blind2.jsonl")]
others = []
for p in sorted(glob.glob("/work/main/tests/ru/data/*.jsonl")) + ["/work/shared/lamp/ru_dev.jsonl"]:
    for line in open(p):
        if line.strip():
            r = json.loads(line)
            others.append((r["requirement"].lower(), r["parse"]["model"]["task"],
                           norm_obj(r["parse"]["data"]["object"])))
flag = {}
for r in mine:
    t = r["requirement"].lower(); task = r["parse"]["model"]["task"]; ob = norm_obj(r["parse"]["data"]["object"])
    best = 0.0; objhit = 0
    for ot, otask, oob in others:
        sm = difflib.SequenceMatcher(None, t, ot)
        if sm.real_quick_ratio() > 0.5 and sm.quick_ratio() > 0.5:
            best = max(best, sm.ratio())
        if task == otask and ob == oob: objhit += 1
    if best > 0.5 or objhit:
        flag[r["id"]] = (round(best, 2), objhit)
print(f"compared {len(mine)} x {len(others)}")
for k, (ratio, objhit) in flag.items():
    print(k, "max_ratio", ratio, "same_task_same_objects", objhit)
print("flagged", len(flag))
