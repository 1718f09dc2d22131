"""``RayExecutor``: each trial is one Ray task that trains through the ``autommlab_train`` hook.

In: ``TrainJob``s from the HPO loop (``autommlab.executor`` documents the
protocol). Out: their ``Trial``s, as each task ends. The task runs
``autommlab.executor.train_in_fresh_process`` in a Ray worker: it rebuilds the
plugin manager from the run's settings there, writes only under
``job.work_dir`` and returns the Trial as JSON; the driver (the HPO loop)
records it. A worker that dies (killed, out of memory, node lost) is retried by
Ray up to ``max_retries`` times; an exception in the train plugin is not
retried (it would fail again) and fails the run as it does locally.

Config ``[plugins.ray]`` (all optional; errors name the key):

- ``address``: ``None`` starts a single-node Ray inside this process, bound to
  127.0.0.1; ``"auto"`` joins the cluster ``ray start`` runs on this machine;
  ``"ray://HEAD:10001"`` connects through Ray Client.
- ``num_cpus`` / ``num_gpus``: what a cluster started here may use (default:
  what Ray detects).
- ``cpus_per_trial`` (default ``train.nproc``) / ``gpus_per_trial`` (default
  ``train.nproc`` when ``device`` is cuda, else 0): the task's resource request.
- ``max_concurrent``: trials at once (default: as many as the cluster's CPUs
  and GPUs hold at the per-trial request).
- ``max_retries`` (default 2): reruns of a trial whose worker died.
- ``env``: extra environment variables for the workers (e.g. ``PYTHONPATH``).
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autommlab.errors import RunFailed, UsageError
from autommlab.executor import Outcome, train_in_fresh_process
from autommlab.schemas import TrainJob, Trial

NAME = "ray"
LOOPBACK = "127.0.0.1"


class RaySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: str | None = None
    num_cpus: int | None = Field(None, ge=1)
    num_gpus: int | None = Field(None, ge=0)
    cpus_per_trial: float | None = Field(None, gt=0)
    gpus_per_trial: float | None = Field(None, ge=0)
    max_concurrent: int | None = Field(None, ge=1)
    max_retries: int = Field(2, ge=0)
    env: dict[str, str] = Field(default_factory=dict)


def _train_task(settings: dict[str, Any], run_dir: str | None, job: dict[str, Any]) -> str:
    """The Ray task body (module level, so workers import it by name instead of unpickling code)."""
    return train_in_fresh_process(settings, run_dir, job)


def loopback_only() -> None:
    """Make a Ray started by this process bind every server to 127.0.0.1.

    Why: on Linux ``ray.init(_node_ip_address="127.0.0.1")`` still replaces the
    loopback address by the machine's own IP and its gRPC servers listen on all
    interfaces (measured with Ray 2.60: ``[::]`` and 192.0.2.2). Ray's
    single-machine mode (what it uses on macOS and Windows,
    ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``) keeps them all on loopback. The
    variable is read when ``ray`` is imported and by the processes Ray starts;
    the constant is set too in case ``ray`` was imported already.
    """
    import os

    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    import ray._private.ray_constants as rc

    rc.ENABLE_RAY_CLUSTER = os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"].lower() in ("1", "true")


_CONNECT = threading.Lock()  # run --batch --jobs N builds executors from several threads


def connect(opts: RaySettings) -> None:
    """Start or join Ray unless this process is already connected (then that cluster is used as it is)."""
    with _CONNECT:
        _connect(opts)


def _connect(opts: RaySettings) -> None:
    if opts.address is None:
        loopback_only()
    import ray

    if ray.is_initialized():
        return
    runtime_env = {"env_vars": dict(opts.env)} if opts.env else None
    if opts.address is None:
        # a private single-node cluster: every server on loopback, no dashboard
        ray.init(num_cpus=opts.num_cpus, num_gpus=opts.num_gpus, include_dashboard=False,
                 _node_ip_address=LOOPBACK, runtime_env=runtime_env, configure_logging=False)
    else:
        ray.init(address=opts.address, runtime_env=runtime_env, configure_logging=False)


class RayExecutor:
    """Trials as Ray tasks; ``capacity`` of them in flight at once."""

    name = NAME

    def __init__(self, settings: Any, run_dir: Any, opts: RaySettings, log=print):
        import ray

        self._ray = ray
        self.log = log
        connect(opts)
        nproc = int(getattr(getattr(settings, "train", None), "nproc", 1) or 1)
        cuda = str(getattr(settings, "device", "cpu")).startswith("cuda")
        cpus = opts.cpus_per_trial if opts.cpus_per_trial is not None else float(nproc)
        gpus = opts.gpus_per_trial if opts.gpus_per_trial is not None else (float(nproc) if cuda else 0.0)
        self.capacity = opts.max_concurrent or self._fits(cpus, gpus)
        self._settings = settings.model_dump(mode="json")
        self._run_dir = str(Path(run_dir).resolve()) if run_dir else None
        self._remote = ray.remote(_train_task).options(num_cpus=cpus, num_gpus=gpus, max_retries=opts.max_retries,
                                                       retry_exceptions=False, name="autommlab-trial")
        self._refs: dict[Any, TrainJob] = {}
        self.log(f"ray: {self.capacity} trial(s) at once, {cpus:g} CPU / {gpus:g} GPU each, "
                 f"cluster {ray.cluster_resources()}")

    @classmethod
    def from_context(cls, ctx) -> "RayExecutor":
        try:
            opts = RaySettings.model_validate(ctx.plugin_config(NAME))
        except ValidationError as e:
            problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
            raise UsageError(f"[plugins.{NAME}] {problems}") from e
        return cls(ctx.config, ctx.run_dir, opts, log=ctx.log)

    def _fits(self, cpus: float, gpus: float) -> int:
        res = self._ray.cluster_resources()
        n = math.floor(res.get("CPU", 1) / cpus) if cpus > 0 else 1_000_000
        if gpus > 0:
            n = min(n, math.floor(res.get("GPU", 0) / gpus))
            if n < 1:
                raise UsageError(f"[plugins.{NAME}] a trial asks for {gpus:g} GPU(s) but the Ray cluster has "
                                 f"{res.get('GPU', 0):g}; set device = \"cpu\" or gpus_per_trial")
        if n < 1:
            raise UsageError(f"[plugins.{NAME}] a trial asks for {cpus:g} CPU(s) but the Ray cluster has "
                             f"{res.get('CPU', 0):g}; lower cpus_per_trial or train.nproc")
        return n

    def submit(self, job: TrainJob) -> None:
        # a worker's working directory is not the driver's: send absolute paths
        sent = job.model_copy(update={"work_dir": Path(job.work_dir).resolve(),
                                      "data": job.data.model_copy(update={"root": Path(job.data.root).resolve()})})
        ref = self._remote.remote(self._settings, self._run_dir, sent.model_dump(mode="json"))
        self._refs[ref] = job

    def wait(self) -> list[Outcome]:
        if not self._refs:
            return []
        ready, _ = self._ray.wait(list(self._refs), num_returns=1)
        # collect everything else that is already done too, without waiting
        more, _ = self._ray.wait([r for r in self._refs if r not in ready], num_returns=len(self._refs) - len(ready),
                                 timeout=0) if len(self._refs) > len(ready) else ([], [])
        return [self._outcome(ref) for ref in list(ready) + list(more)]

    def _outcome(self, ref: Any) -> Outcome:
        from ray import exceptions as rex

        job = self._refs.pop(ref)
        try:
            return Outcome(job, trial=Trial.model_validate_json(self._ray.get(ref)))
        except rex.RayTaskError as e:  # the train plugin raised: hand on its own exception, as locally
            cause = getattr(e, "cause", None)
            return Outcome(job, error=cause if isinstance(cause, BaseException) else RunFailed(str(e)))
        except rex.RayError as e:  # the worker (or its node) died more often than max_retries allows
            return Outcome(job, error=RunFailed(f"trial {job.index}: Ray could not run it: {type(e).__name__}: {e}"))

    def close(self) -> None:
        """Cancel trials still in flight (after an error); a Ray started here stops when this process exits."""
        for ref in list(self._refs):
            self._ray.cancel(ref, force=True)
        self._refs.clear()
