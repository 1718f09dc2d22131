"""Where trials run: the executor seam between the HPO loop and the train stage.

The HPO loop (``pipeline.Pipeline._hpo_loop``) proposes hyperparameters, writes
``trials/NN/hparams.json`` and ``job.json``, and hands each ``TrainJob`` to an
executor; the executor trains it (through the ``autommlab_train`` hook, here or
in another process or machine) and gives back the ``Trial``. Only the loop
writes ``trial.json``, ``run.json`` and the trial record, so an executor never
needs write access to the run directory beyond ``job.work_dir``.

The executor is chosen by the config key ``executor`` (default ``"local"``).
``"local"`` is built in: one trial at a time, in this process (the behaviour
before executors existed). Any other name is asked of the plugins through the
``autommlab_executor(name, ctx)`` hook; ``autommlab-ray`` serves ``"ray"``.

An executor is any object with this shape (``Executor`` below):

- ``name``: what ``autommlab`` prints and records.
- ``capacity``: how many jobs it runs at once; the loop keeps at most that
  many submitted and not yet returned.
- ``submit(job)``: start (or queue) one job; must not block for its training.
- ``wait()``: block until at least one submitted job has ended and return the
  ``Outcome`` of every job that has; ``[]`` only when nothing is submitted.
- ``close()``: release workers and clusters it started (called once).

A job that raises in the train plugin comes back as ``Outcome(error=...)``; the
loop then stops proposing, records every other job still running as it ends,
and re-raises the first error (the run fails, ``--resume`` reruns that trial).
A job may be run more than once (a worker died and was retried): the loop
records a trial once, the first time it comes back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .errors import StageUnavailable
from .schemas import TrainJob, Trial

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context
    from .plugins import PluginManager

LOCAL = "local"


@dataclass
class Outcome:
    """How one submitted job ended: its ``Trial``, or the exception its training raised."""

    job: TrainJob
    trial: Trial | None = None
    error: BaseException | None = None


@runtime_checkable
class Executor(Protocol):
    name: str
    capacity: int

    def submit(self, job: TrainJob) -> None: ...

    def wait(self) -> list[Outcome]: ...

    def close(self) -> None: ...


def train_one(pm: "PluginManager", ctx: "Context", job: TrainJob) -> Trial:
    """Train ``job`` through the train stage; a plugin that did not time itself gets the wall time measured here."""
    started = time.monotonic()
    trial: Trial = pm.call_single("train", ctx, job=job)
    if trial.wall_time_s == 0:
        trial = trial.model_copy(update={"wall_time_s": round(time.monotonic() - started, 3)})
    return trial


def train_in_fresh_process(settings: dict[str, Any], run_dir: str | None, job: dict[str, Any]) -> str:
    """Train one job in a process that has nothing set up yet (a Ray worker, a batch-system task).

    In: the effective settings and the job as JSON-ready dicts (what crosses
    the process boundary), the run directory. It builds the plugin manager the
    same way the CLI does (entry points, ``disabled_plugins``, ``plugin_modules``,
    ``[stages]``) and returns the ``Trial`` as JSON. Exceptions propagate.
    """
    from .config import Settings
    from .context import Context
    from .plugins import PluginManager

    s = Settings.model_validate(settings)
    pm = PluginManager(stages=s.stages, disabled=s.disabled_plugins, modules=s.plugin_modules)
    ctx = Context(config=s, run_dir=Path(run_dir) if run_dir else None, log=lambda m: print(m, flush=True))
    return train_one(pm, ctx, TrainJob.model_validate(job)).model_dump_json()


class LocalExecutor:
    """One job at a time, in this process, with the run's progress display: today's behaviour."""

    name = LOCAL
    capacity = 1

    def __init__(self, pm: "PluginManager", ctx: "Context"):
        self.pm, self.ctx = pm, ctx
        self._queue: list[TrainJob] = []

    def submit(self, job: TrainJob) -> None:
        self._queue.append(job)

    def wait(self) -> list[Outcome]:
        if not self._queue:
            return []
        job = self._queue.pop(0)
        try:
            return [Outcome(job, trial=train_one(self.pm, self.ctx, job))]
        except Exception as e:  # handed to the loop, which records the others and re-raises it
            return [Outcome(job, error=e)]

    def close(self) -> None:
        self._queue.clear()


def make_executor(name: str, pm: "PluginManager", ctx: "Context") -> Executor:
    """The executor called ``name``: built in for ``"local"``, else the first plugin whose
    ``autommlab_executor`` hook returns one. ``StageUnavailable`` lists every plugin's reason."""
    if name == LOCAL:
        return LocalExecutor(pm, ctx)
    ctx.stage = "executor"
    executor = pm.hook.autommlab_executor(name=name, ctx=ctx)
    if executor is None:
        why = "; ".join(f"{d.plugin}: {d.reason}" for d in ctx.declines_for("executor"))
        providers = [i.name for i in pm.plugins() if "autommlab_executor" in i.hooks]
        raise StageUnavailable(
            f"executor = {name!r}: no installed plugin provides it"
            + (f" ({why})" if why else "")
            + f". Plugins with executors: {', '.join(providers) or 'none'}; "
              "'ray' comes with autommlab-ray; 'local' is built in.")
    if not isinstance(executor, Executor) or executor.capacity < 1:
        raise StageUnavailable(f"executor {name!r} from a plugin lacks name/capacity>=1/submit/wait/close")
    return executor
