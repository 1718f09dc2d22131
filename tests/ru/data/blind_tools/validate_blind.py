"""Validates a gold set (ru_blind.jsonl, ru_blind2.jsonl, tuning sets; ids PREFIX-NNN) against the parse schema in /work/shared/lamp/SCHEMA.md."""
import json, re, sys

TASKS = {"classification", "detection", "segmentation", "keypoint"}
SPEED_U = {"ms", "s", "min", "h", "fps", "none"}
FLOPS_U = {"FLOPs", "MFLOPs", "GFLOPs", "TFLOPs", "none"}
PARAM_U = {"K", "M", "B", "none"}
GPU = {"gpu", "cpu", "none"}
ENGINE = {"onnxruntime", "tensorrt", "openvino", "ncnn", "none"}
METRICS = {"accuracy", "top-5 accuracy", "precision", "recall", "f1-score", "AP", "AP50",
           "mIoU", "dice", "pixel accuracy", "PCK"}
OPT = {"description", "scenario"}

def num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)

def check(path):
    errs, ids, n = [], set(), 0
    for ln, line in enumerate(open(path), 1):
        if not line.strip():
            errs.append(f"line {ln}: blank line"); continue
        try:
            r = json.loads(line)
        except Exception as e:
            errs.append(f"line {ln}: bad JSON {e}"); continue
        n += 1
        def bad(msg): errs.append(f"{r.get('id', ln)}: {msg}")
        if set(r) != {"id", "requirement", "parse"}: bad(f"top keys {sorted(r)}")
        rid = r.get("id")
        if not (isinstance(rid, str) and re.fullmatch(r"[a-z0-9]+-\d{3}", rid)):
            bad("id format")
        if rid in ids: bad("duplicate id")
        ids.add(rid)
        if not isinstance(r.get("requirement"), str) or len(r["requirement"]) < 20: bad("requirement")
        p = r.get("parse", {})
        if set(p) != {"data", "model", "deploy"}: bad(f"parse keys {sorted(p)}"); continue
        d, m, dp = p["data"], p["model"], p["deploy"]
        if not {"object", "modality", "specific"} <= set(d) or set(d) - {"object", "modality", "specific"} - OPT:
            bad(f"data keys {sorted(d)}")
        objs = d.get("object")
        if not (isinstance(objs, list) and objs and all(isinstance(o, str) and o.strip() for o in objs)):
            bad("object list")
        elif len({o.lower() for o in objs}) != len(objs): bad("duplicate objects")
        if not (isinstance(d.get("modality"), str) and d["modality"] == d["modality"].lower() and d["modality"]):
            bad("modality")
        if not (isinstance(d.get("specific"), list) and all(isinstance(s, str) for s in d["specific"])):
            bad("specific")
        mk = {"task", "specific_model", "speed", "flops", "parameters", "metrics"}
        if not mk <= set(m) or set(m) - mk - OPT: bad(f"model keys {sorted(m)}")
        if m.get("task") not in TASKS: bad("task")
        if not (isinstance(m.get("specific_model"), str) and m["specific_model"]): bad("specific_model")
        for key, units in (("speed", SPEED_U), ("flops", FLOPS_U), ("parameters", PARAM_U)):
            v = m.get(key, {})
            if set(v) != {"value", "unit"} or not num(v.get("value")) or v.get("unit") not in units:
                bad(f"{key} {v}"); continue
            if (v["unit"] == "none") != (v["value"] == 0): bad(f"{key} value/unit mismatch {v}")
            if v["value"] < 0: bad(f"{key} negative")
        mets = m.get("metrics")
        if not isinstance(mets, list): bad("metrics")
        else:
            names = []
            for x in mets:
                if set(x) != {"name", "value"} or x["name"] not in METRICS or not num(x["value"]) \
                        or not 0 < x["value"] <= 1:
                    bad(f"metric {x}")
                names.append(x.get("name"))
            if len(set(names)) != len(names): bad("duplicate metric")
        if not {"gpu", "inference engine"} <= set(dp) or set(dp) - {"gpu", "inference engine"} - OPT:
            bad(f"deploy keys {sorted(dp)}")
        if dp.get("gpu") not in GPU: bad("gpu")
        if dp.get("inference engine") not in ENGINE: bad("engine")
    return n, errs

if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "/work/blind/ru_blind.jsonl"
    n, errs = check(path)
    for e in errs: print("ERROR", e)
    print(f"{n} records, {len(errs)} errors")
    sys.exit(1 if errs else 0)
