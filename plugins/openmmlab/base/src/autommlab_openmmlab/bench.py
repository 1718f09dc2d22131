"""One benchmark run (a subprocess of ``autommlab models bench``, so peak RSS is this task's alone).

``python -m autommlab_openmmlab.bench <codebase> <iters> <batch> <device>`` trains the codebase's
first default model on a synthetic set and prints ``BENCH {json}``: median seconds per
training iteration (after 3 warm-up iterations) and the process's peak RSS.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
from pathlib import Path


def main(codebase: str, iters: int, batch: int, device: str) -> dict:
    import torch

    from autommlab.context import Context
    from autommlab.schemas import HParams, Request, TrainJob

    from . import complexity, synthetic, zoo
    from .registry import spec_for
    from .selection import candidate, head_size
    from .train import run_training

    spec = spec_for(codebase)
    with tempfile.TemporaryDirectory() as tmp:
        plan = synthetic.make_plan(spec.task, Path(tmp) / "data")
        m = zoo.find(zoo.load_zoo(spec), spec.defaults[0])
        cx = complexity.compute(spec, m, num_classes=head_size(spec, plan))
        cand = candidate(spec, m, cx, None)
        hp = HParams(optimizer="AdamW", lr=1e-3, weight_decay=1e-4, lr_schedule="CosineAnnealingLR",
                     iters=iters, batch_size=batch)
        job = TrainJob(index=1, request=Request.model_validate({"model": {"task": spec.task}}), data=plan,
                       model=cand, hparams=hp, work_dir=Path(tmp) / "work", device=device, val_interval=iters)
        run_training(spec, job, Context())
        rec = json.loads((Path(tmp) / "work" / "metrics.json").read_text())
    times = rec["iter_time_s"][3:] or rec["iter_time_s"]
    return dict(task=spec.task, codebase=codebase, model=m.name, input_size=cand.input_size, batch_size=batch,
                iters=iters, device=device, s_per_iter=statistics.median(times),
                peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                threads=torch.get_num_threads(), params_m=cx["params_m"], flops_g=cx["flops_g"])


if __name__ == "__main__":
    result = main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    print("BENCH " + json.dumps(result))
