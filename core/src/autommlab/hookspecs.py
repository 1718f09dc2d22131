"""The AutoMMLab plugin contract: one documented function per hook.

A plugin is a module (or object) with functions marked ``@hookimpl`` whose
names are the hooks below; it is registered through the entry-point group
``autommlab`` (``[project.entry-points.autommlab] myplugin = "pkg.module"``).
Keep that module light: import torch, mmengine, transformers... inside the hook
functions, so that listing plugins never imports heavy libraries.

Two kinds of stage hook:

- **single-answer** (``firstresult``): parse, propose-hparams, train, deploy.
  ``[stages]`` in the config may name the plugin that serves the stage; then
  only that plugin is called. Otherwise plugins are tried in registration order
  (last registered first, as in pluggy) until one returns a result.
- **collecting**: select-data, select-model. Every plugin may offer results;
  the core merges and ranks them. ``[stages]`` may restrict the set.

Optional hooks beside the stages: ``autommlab_propose_batch`` (several
proposals at once, for executors that run trials in parallel) and
``autommlab_executor`` (where trials run; see ``autommlab.executor``).

A plugin that cannot serve a call (wrong task, backend missing, no GPU, no
model configured) returns ``ctx.decline(NAME, "reason")`` (which is None) so the
user is told why when nobody can serve the stage. A plugin must never return a
made-up result: a metric, latency or parse it did not compute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    import click

    from .context import Context
    from .report_parts import ReportPart
    from .results import RunResult
    from .schemas import (DataPlan, DeployTarget, Deployment, HParams, ModelCandidate, Request, RunRecord, Trial,
                          TrainJob)

PROJECT = "autommlab"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: stage name -> (hook name, single-answer?)
STAGE_HOOKS: dict[str, tuple[str, bool]] = {
    "parse": ("autommlab_parse", True),
    "select_data": ("autommlab_select_data", False),
    "select_model": ("autommlab_select_model", False),
    "propose_hparams": ("autommlab_propose_hparams", True),
    "train": ("autommlab_train", True),
    "deploy": ("autommlab_deploy", True),
}


@hookspec(firstresult=True)
def autommlab_parse(text: str, ctx: "Context") -> "Request | None":
    """Understand a plain-language request.

    :param text: the user's paragraph, unmodified.
    :return: a validated ``Request`` (the AutoMMLab parse), or None when this
        plugin cannot parse (e.g. its LLM is not configured); record why with
        ``ctx.decline``. Raise ``autommlab.errors.RequestError`` when the text
        itself is the problem (empty, contradictory, unsupported task): that
        message is shown to the user as is.
    """


@hookspec
def autommlab_select_data(request: "Request", ctx: "Context") -> "list[DataPlan] | None":
    """Offer data plans that serve ``request``.

    Each plan is a train/val subset already written on disk (under
    ``ctx.run_dir / "data"`` during a run) in the format its task's trainer
    reads, with the request objects it matched and those it could not.
    :return: zero or more plans (best first), or None when this source has
        nothing for the request (say why with ``ctx.decline``).
    """


@hookspec
def autommlab_select_model(request: "Request", data: "DataPlan", ctx: "Context") -> "list[ModelCandidate] | None":
    """Offer model candidates for ``request`` trained on ``data``.

    Candidates carry params (M) and FLOPs (G) at the input size they would be
    trained at, the metric reported in the zoo, the config and weights
    references, and the zoo recipe. The core filters and ranks them against the
    request's named model, params, FLOPs and speed. Return None for a task this
    codebase does not serve.
    """


@hookspec(firstresult=True)
def autommlab_propose_hparams(
    request: "Request", data: "DataPlan", model: "ModelCandidate", history: "list[Trial]", ctx: "Context"
) -> "HParams | None":
    """Propose the next trial's hyperparameters.

    :param history: trials run so far for this model in this run, oldest first
        (finished and failed), so a strategy can refine from their metrics.
    :return: ``HParams`` within ``schemas.SEARCH_SPACE`` for the task, scaled by
        ``ctx.config.hpo.budget_scale``; or None when this strategy cannot
        propose (say why).
    """


@hookspec(firstresult=True)
def autommlab_propose_batch(
    request: "Request", data: "DataPlan", model: "ModelCandidate", history: "list[Trial]",
    pending: "list[HParams]", n: int, ctx: "Context"
) -> "list[HParams] | None":
    """Optional companion of propose-hparams: propose up to ``n`` trials at once.

    Asked only of the plugins chosen for propose_hparams, when the executor
    runs several trials at once (``executor = "ray"``). ``pending`` are the
    proposals already running for this model (not yet in ``history``): do not
    propose them again. Return None when this strategy proposes one at a time
    (it learns from each result, as the recipe and LLM strategies do): the core
    then keeps at most one trial per model running and parallelises across
    models and requests instead.
    """


@hookspec(firstresult=True)
def autommlab_executor(name: str, ctx: "Context") -> "Any | None":
    """Provide the trial executor called ``name`` (config key ``executor``), e.g. ``"ray"``.

    Return an object with ``name``, ``capacity``, ``submit(job)``, ``wait()``
    and ``close()`` as documented in ``autommlab.executor`` (which also has
    ``train_in_fresh_process`` for running a job in a worker), or None for a
    name this plugin does not serve (``ctx.decline`` when it should but cannot,
    e.g. its library is missing). ``"local"`` is built in and never asked.
    """


@hookspec(firstresult=True)
def autommlab_train(job: "TrainJob", ctx: "Context") -> "Trial | None":
    """Train ``job.model`` on ``job.data`` with ``job.hparams`` and evaluate on val.

    Write only under ``job.work_dir``. Return a ``Trial`` with status
    "finished" and measured metrics, or status "failed" with ``error`` when
    training ran but broke (e.g. diverged). Return None when this plugin does
    not train this model's codebase. Report progress through ``ctx.progress``.
    """


@hookspec(firstresult=True)
def autommlab_deploy(trial: "Trial", target: "DeployTarget", ctx: "Context") -> "Deployment | None":
    """Export ``trial.checkpoint`` for ``target.backend`` and measure it.

    Write the bundle under ``target.out_dir``; measure latency (p50/p90 after
    warm-up), throughput, output parity against the PyTorch model and the task
    metric of the deployed model on val. Return None when this plugin does not
    serve ``target.backend`` or cannot run here (no GPU, library missing): say
    why with ``ctx.decline``.
    """


@hookspec
def autommlab_report_parts(record: "RunRecord", result: "RunResult", ctx: "Context") -> "list[ReportPart] | None":
    """Optional: material for the rich report (``report.html``) that only this plugin can produce.

    Called once per report, after ``report.md`` is written, and only when a
    report renderer (``autommlab_render_report``) is installed. Examples: the
    trainer's loss and val-metric curves from its trial work dirs, the deployed
    model's predictions drawn on val images next to the ground truth, a
    confusion matrix or PR curve computed with the deployed bundle, its latency
    samples. Every number must come from a measurement or a file of the run;
    images are files written under ``ctx.run_dir / "report"``.
    :return: zero or more ``report_parts.ReportPart``, or None when this plugin
        has nothing for this run (e.g. the run never reached its stage).
    """


@hookspec
def autommlab_render_report(record: "RunRecord", result: "RunResult", parts: "list[ReportPart]",
                            ctx: "Context") -> "list[Path] | None":
    """Optional: write a further report format beside ``report.md`` (e.g. ``report.html``).

    :param result: the same ``RunResult`` report.md was rendered from (its
        ``requirements`` are the checks to show; do not re-derive them).
    :param parts: what every ``autommlab_report_parts`` implementation returned.
    :return: the files written into ``ctx.run_dir`` (None: nothing written).
    """


@hookspec
def autommlab_register_commands(cli: "click.Group") -> None:
    """Add sub-commands to the ``autommlab`` command line (``cli`` is a click group)."""


@hookspec
def autommlab_plugin_info() -> "dict[str, Any] | None":
    """Optional: a short description of the plugin for ``autommlab plugins``.

    Return e.g. ``{"description": "...", "requires": ["torch", "mmdet"],
    "opt_in": ["propose_hparams"]}``. ``opt_in`` lists single-answer stages the
    plugin serves only when ``[stages]`` names it: alternatives such as a
    random-search strategy should not silently replace the default. A deploy
    plugin may list ``"backends": [{"backend": "onnxruntime", "device": "cpu"}, ...]``:
    the pairs ``autommlab benchmark`` tries (its deploy hook still declines with
    the reason where a pair cannot run here).
    """
