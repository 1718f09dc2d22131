"""Distributed training of one trial: mmengine's Runner under torchrun (``[train] nproc = N``).

``launch`` (in the process that runs the train hook) writes the job and the
settings to ``work_dir/ddp/``, starts ``python -m torch.distributed.run
--nproc_per_node N -m autommlab_openmmlab.ddp ...`` and returns the ``Trial``
rank 0 wrote; its log is ``work_dir/ddp/torchrun.log``. Each rank (``main``)
runs the same ``train.run_training`` with ``launcher="pytorch"``: gloo on CPU,
NCCL on GPU (one GPU per rank, ``cuda:LOCAL_RANK``). ``hparams.batch_size``
stays the total batch: each rank loads ``batch_size // N`` images. Rank 0
alone writes config.py, metrics.json, best.pth and the Trial, so the metric is
recorded once; validation results are gathered from every rank by mmengine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from autommlab.schemas import TrainJob, Trial

RANK_ENV = "AUTOMMLAB_DDP_WORKER"  # set in the ranks, so their train hook trains instead of launching again


def world() -> tuple[int, int]:
    """(rank, world size) from torchrun's environment; (0, 1) outside a distributed launch."""
    return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))


def distribute(cfg: Any, device: str, notes: list[str]) -> None:
    """Turn a trial's mmengine config into its DDP form for this rank (in place)."""
    _, size = world()
    cpu = not device.startswith("cuda")
    cfg.launcher = "pytorch"
    cfg.env_cfg.dist_cfg = dict(backend="gloo" if cpu else "nccl")
    # mmengine passes device_ids=[LOCAL_RANK] to DDP unless the wrapper config says otherwise;
    # for a CPU module DDP needs device_ids=None
    cfg.model_wrapper_cfg = dict(type="MMDistributedDataParallel", broadcast_buffers=False,
                                 find_unused_parameters=False, **({"device_ids": None} if cpu else {}))
    total = int(cfg.train_dataloader.batch_size)
    per_rank = max(1, total // size)
    cfg.train_dataloader.batch_size = per_rank
    notes.append(f"DDP: {size} processes ({cfg.env_cfg.dist_cfg['backend']}), batch {per_rank} per process "
                 f"= {per_rank * size} in all" + ("" if per_rank * size == total else f" (asked {total})"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(spec, job: TrainJob, ctx, nproc: int) -> Trial:
    """Train ``job`` on ``nproc`` local processes under torchrun; the Trial comes from rank 0."""
    from autommlab.errors import RunFailed

    work = Path(job.work_dir).resolve()
    ddir = work / "ddp"
    ddir.mkdir(parents=True, exist_ok=True)
    (ddir / "job.json").write_text(job.model_dump_json())
    (ddir / "settings.json").write_text(ctx.config.model_dump_json())
    result = ddir / "trial.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={nproc}", "--nnodes=1",
           "--master_addr=127.0.0.1", f"--master_port={_free_port()}",
           "-m", "autommlab_openmmlab.ddp", spec.name, str(ddir / "job.json"), str(ddir / "settings.json"),
           str(result)]
    env = dict(os.environ, **{RANK_ENV: "1", "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")})
    if not str(job.device).startswith("cuda"):
        env.setdefault("GLOO_SOCKET_IFNAME", "lo")  # one node: keep gloo's sockets on loopback
    log = ddir / "torchrun.log"
    ctx.log(f"trial {job.index}: DDP on {nproc} processes (torchrun; log {log})")
    with ctx.progress(f"train {job.model.name} (trial {job.index}, {nproc} processes)", total=None):
        with open(log, "w") as f:
            rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env).returncode
    if rc != 0 or not result.is_file():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise RunFailed(f"trial {job.index}: torchrun exited with {rc}; see {log}:\n{tail}")
    return Trial.model_validate_json(result.read_text())


def main(argv: list[str]) -> int:
    """One rank: ``python -m autommlab_openmmlab.ddp CODEBASE JOB.json SETTINGS.json OUT.json``."""
    name, job_file, settings_file, out = argv
    from autommlab.config import Settings
    from autommlab.context import Context

    from .registry import spec_for
    from .train import run_training

    job = TrainJob.model_validate_json(Path(job_file).read_text())
    settings = Settings.model_validate_json(Path(settings_file).read_text())
    if not str(job.device).startswith("cuda"):
        import torch

        # mmengine's pytorch launcher calls torch.cuda.set_device(LOCAL_RANK) even for gloo on CPU
        torch.cuda.set_device = lambda *a, **k: None
    else:
        job = job.model_copy(update={"device": f"cuda:{os.environ.get('LOCAL_RANK', '0')}"})
    trial = run_training(spec_for(name), job, Context(config=settings, log=lambda m: print(m, flush=True)),
                         distributed=True)
    rank, _ = world()
    if rank == 0:
        tmp = Path(out).with_suffix(".tmp")
        tmp.write_text(trial.model_dump_json())
        os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
