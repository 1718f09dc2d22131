"""ORT vs PyTorch eager latency of the four default models on this machine (docs/bench/deploy.md).

    cd /work/main && .venv/bin/python -m tests.deploy.bench --out /tmp/bench --runs 200 --warmup 20
    .venv/bin/python -m tests.deploy.bench --summarise /tmp/bench   # table from existing deploy.json files

Each task's default model is trained briefly from scratch on shared/datapool
(through the openmmlab train hook, as in the tests), then deployed with the
deploy_ort hook, which measures ONNX Runtime and the PyTorch model (mmdeploy's
rewritten forward, the same computation as the graph) on the same
preprocessed val image, batch 1, with the same number of threads.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

TASKS = ("classification", "detection", "segmentation", "keypoint")


def summarise(root: Path) -> str:
    rows = ["| task | model | input (h x w) | threads | ORT p50 / p90 ms | PyTorch p50 / p90 ms | speed-up (p50) | "
            "ORT fps | max abs diff (raw outputs) | prediction agreement | val metric ORT / PyTorch |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for rec_path in sorted(root.glob("**/deploy/onnxruntime/deploy.json")):
        rec = json.loads(rec_path.read_text())
        lat, par = rec["latency"], rec["parity"]
        pt = par.get("pytorch_latency") or {}
        task = rec["bundle"]["task"]
        raw = par.get("raw_outputs", {})
        diffs = [v["max_abs_diff"] for v in raw.values() if "max_abs_diff" in v]
        eq = [v["equal_share"] for v in raw.values() if "equal_share" in v]
        diff = f"{max(diffs):.2e}" if diffs else ""
        if "detections" in raw:
            d = raw["detections"]
            diff = f"scores {d['max_abs_score_diff']:.1e}, boxes {d['max_abs_box_diff_px']:.1e} px"
        if eq:
            diff += (" / " if diff else "") + f"equal {min(eq):.4f}"
        agree = {k: v for k, v in par.get("predictions", {}).items() if k.endswith("share")}
        primary = {"classification": "accuracy", "detection": "AP", "segmentation": "mIoU", "keypoint": "AP"}[task]
        metric = primary if primary in rec["metrics"] else next(iter(rec["metrics"]), None)
        m = f"{metric} {rec['metrics'][metric]:.3f} / {par['pytorch_metrics'].get(metric, float('nan')):.3f}" \
            if metric else ""
        rows.append(f"| {task} | {rec['trial']['model']} | {lat['input_size'][0]} x {lat['input_size'][1]} | "
                    f"{lat['threads']} | {lat['p50_ms']:.2f} / {lat['p90_ms']:.2f} | "
                    f"{pt.get('p50_ms', float('nan')):.2f} / {pt.get('p90_ms', float('nan')):.2f} | "
                    f"{par.get('speedup_p50')} | {lat['throughput_fps']:.1f} | {diff} | "
                    f"{', '.join(f'{k} {v:.3f}' for k, v in agree.items())} | {m} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("bench-deploy"))
    ap.add_argument("--tasks", nargs="+", default=list(TASKS), choices=TASKS)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--threads", type=int, default=None, help="ORT intra-op and torch threads (default: all cores)")
    ap.add_argument("--summarise", type=Path, default=None, help="only print the table for an existing --out")
    args = ap.parse_args(argv)
    if args.summarise:
        print(summarise(args.summarise))
        return
    from autommlab.config import Settings
    from autommlab.context import Context
    from autommlab_deploy_ort import plugin

    from .trained import train_trial

    threads = args.threads or os.cpu_count()
    settings = Settings.model_validate({"plugins": {"deploy_ort": {"threads": threads}}})
    for task in args.tasks:
        root = args.out / task
        t = train_trial(task, root)
        ctx = Context(config=settings, stage="deploy", log=print)
        dep = plugin.autommlab_deploy(trial=t.trial, target=t.target(root / "deploy" / "onnxruntime",
                                                                     runs=args.runs, warmup=args.warmup), ctx=ctx)
        if dep is None:
            raise SystemExit(f"{task}: not deployed: {ctx.declines}")
        print(f"{task}: ORT p50 {dep.latency.p50_ms:.2f} ms, PyTorch p50 "
              f"{dep.parity.get('pytorch_latency', {}).get('p50_ms')} ms", flush=True)
    print(summarise(args.out))


if __name__ == "__main__":
    main()
