"""Measure the weights path: loopback download throughput, cache-hit overhead, added time per trial when cached.

Run (numbers go to docs/bench/weights.md):
    python -m tests.openmmlab.bench_weights [--mb 200] [--repeat 3] [--out results.json]

- download: ``download.download`` of a random file served by ``weights_server`` on 127.0.0.1 (MB/s).
- cache hit: ``weights.resolve`` when the file is in ``<home>/weights`` (sidecar present: no hashing) and
  when only its sha256 has to be recomputed (no sidecar).
- per trial when cached, for real zoo architectures (seeded-random weights, saved as mmengine saves them):
  resolve + ``finetune.read_tensors`` (torch.load, weights_only=True) + the load check after mmengine loaded
  them (``finetune.compare``), and mmengine's own ``load_checkpoint`` (the load_from step itself).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path


def _t(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=None, help="also write the JSON here (stdout carries mmengine's init log)")
    args = ap.parse_args()

    from autommlab.config import Settings
    from autommlab.context import Context
    from autommlab.schemas import ModelCandidate
    from autommlab_openmmlab import download as dl
    from autommlab_openmmlab import finetune, weights

    from .weights_server import serve, zoo_name

    res: dict = {"load": os.getloadavg()}
    tmp = Path(tempfile.mkdtemp())
    data = os.urandom(args.mb * 1_000_000)
    name = zoo_name("bench", data)
    with serve({f"/{name}": data}) as srv:
        url = srv.url(f"/{name}")

        def fetch():
            (tmp / name).unlink(missing_ok=True)
            dl.download(url, tmp / name, timeout=30, tries=1)

        times = _t(fetch, args.repeat)
        res["download_MB_s"] = [round(args.mb / t, 1) for t in times]
        ctx = Context(config=Settings(home=tmp / "home"))
        cand = ModelCandidate(codebase="mmpretrain", name="bench", task="classification", weights=url)
        weights.resolve(cand, ctx, "mmpretrain")  # into the cache
        res["cache_hit_s"] = [round(t, 4) for t in _t(lambda: weights.resolve(cand, ctx, "mmpretrain"), args.repeat)]
        side = tmp / "home" / "weights" / (name + ".json")
        side.unlink()
        res["cache_hit_rehash_s"] = [round(t, 4) for t in _t(lambda: weights.resolve(cand, ctx, "mmpretrain"), 1)]
        res["requests_after_first_download"] = len(srv.gets()) - args.repeat - 1

    import torch
    from mmengine.runner.checkpoint import load_checkpoint

    from .test_weights_finetune import saved, zoo_net

    per_model = {}
    for codebase, model in (("mmpretrain", "mobilenet-v2_8xb32_in1k"), ("mmdet", "rtmdet_tiny_8xb32-300e_coco"),
                            ("mmpose", "rtmpose-t_8xb256-420e_coco-256x192")):
        net = zoo_net(codebase, model)
        blob = saved(net)
        fname = zoo_name(model.replace("-", "_"), blob)
        dest = tmp / "home" / "weights" / fname
        dest.write_bytes(blob)
        weights.write_sidecar(dest, None, dl.sha256_file(dest))
        cand = ModelCandidate(codebase=codebase, name=model, task="classification", weights=f"http://x/{fname}")
        ctx = Context(config=Settings(home=tmp / "home", offline=True))

        def ours():
            r, _ = weights.resolve(cand, ctx, codebase)
            tensors, _ = finetune.read_tensors(r)
            finetune.compare(net.state_dict(), tensors)

        def mmengine_load():
            load_checkpoint(net, str(dest), map_location="cpu", strict=False, logger="silent")

        torch.set_num_threads(2)
        per_model[model] = {"MB": round(len(blob) / 1e6, 1),
                            "resolve_read_check_s": [round(t, 3) for t in _t(ours, args.repeat)],
                            "mmengine_load_checkpoint_s": [round(t, 3) for t in _t(mmengine_load, args.repeat)]}
    res["per_trial_cached"] = per_model
    res["load_after"] = os.getloadavg()
    res["median_download_MB_s"] = statistics.median(res["download_MB_s"])
    print(json.dumps(res, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
