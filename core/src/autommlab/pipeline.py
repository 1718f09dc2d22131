"""Orchestration: parse -> select-data -> select-model -> HPO loop -> deploy -> report.

Each stage's output is written atomically into the run directory and its
completion recorded in ``run.json``; ``Pipeline.resume`` continues from the
first unfinished stage. In the HPO loop, a trial's ``hparams.json`` is written
before training and ``trial.json`` after, so an interrupted trial is rerun with
the same hyperparameters and a finished one is never lost or rerun. Trials run
on the configured executor (``executor.py``): one at a time here by default.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from . import faults
from . import report as report_mod
from .config import Settings
from .context import Context, ProgressFactory
from .errors import RunFailed, StageUnavailable
from .executor import Executor, make_executor
from .hpo.store import default_store, make_record
from .plugins import PluginManager
from .ranking import rank_candidates
from .recovery import reconcile_trials
from .report_parts import write_rich_reports
from .results import RunResult
from .rundir import RunDir, atomic_write_text, read_model, write_json
from .schemas import (
    PRIMARY_METRIC, DataPlan, DeployTarget, Deployment, HParams, ModelCandidate, Request, TrainJob, Trial,
)

DEFAULT_BACKEND = "onnxruntime"


class Pipeline:
    """Runs (or resumes) one request through every stage."""

    def __init__(self, settings: Settings, plugins: PluginManager, log: Callable[[str], None] = print,
                 progress_factory: ProgressFactory | None = None):
        self.settings = settings
        self.pm = plugins
        self.log = log
        self.progress_factory = progress_factory

    # ------------------------------------------------------------------ entry points
    def run(self, text: str) -> RunResult:
        run = RunDir.create(Path(self.settings.run_dir), text, self.settings.model_dump(mode="json"))
        self.log(f"run directory: {run.path}")
        return self._execute(run)

    def resume(self, path: Path) -> RunResult:
        run = RunDir.open(path)
        first = run.record.first_unfinished()
        self.log(f"resuming {run.path} from stage {first or '(all done)'}")
        return self._execute(run)

    # ------------------------------------------------------------------ driver
    def _context(self, run: RunDir) -> Context:
        return Context(config=self.settings, run_dir=run.path, log=self.log, progress_factory=self.progress_factory)

    def _execute(self, run: RunDir) -> RunResult:
        ctx = self._context(run)
        result = RunResult(run_dir=run.path)
        stage = "parse"
        try:
            result.request = self._parse(run, ctx)
            stage = "select_data"
            result.data = self._select_data(run, ctx, result.request)
            stage = "select_model"
            result.models = self._select_model(run, ctx, result.request, result.data)
            stage = "hpo"
            result.trials, result.best = self._hpo(run, ctx, result.request, result.data, result.models)
            stage = "deploy"
            result.deployment = self._deploy(run, ctx, result)
        except (StageUnavailable, RunFailed) as e:
            self._fail(run, stage, result, str(e))
        except Exception as e:
            # Anything else is a bug or a crash of a plugin: record it and re-raise
            # so the traceback is not lost; the run stays resumable.
            self._fail(run, stage, result, f"{type(e).__name__}: {e}")
            self._write_report(run, result)
            raise
        self._write_report(run, result)
        return result

    def _fail(self, run: RunDir, stage: str, result: RunResult, error: str) -> None:
        run.fail(stage, error)
        result.failed_stage, result.error = stage, error
        self.log(f"[stage {stage} failed] {error}")

    # ------------------------------------------------------------------ stages
    def _parse(self, run: RunDir, ctx: Context) -> Request:
        out = run.path / "request.json"
        if run.done("parse"):
            return read_model(out, Request)
        run.start("parse")
        self.log("parse: understanding the request")
        request = self.pm.call_single("parse", ctx, text=run.record.text)
        faults.point("parse")
        write_json(out, request)
        run.finish("parse", output=out.name, plugin=self._served_by("parse", ctx))
        return request

    def _select_data(self, run: RunDir, ctx: Context, request: Request) -> DataPlan:
        out = run.path / "data.json"
        if run.done("select_data"):
            return read_model(out, DataPlan)
        run.start("select_data")
        self.log(f"select-data: finding data for {', '.join(request.data.object) or request.model.task}")
        plans: list[DataPlan] = self.pm.call_collect("select_data", ctx, request=request)
        plans.sort(key=lambda p: -p.score)  # stable: plugin order breaks ties
        plan = plans[0]
        write_json(run.path / "data_plans.json", [p.model_dump(mode="json") for p in plans])
        write_json(out, plan)
        for obj in plan.unmatched:
            self.log(f"warning: request object {obj!r} matched no category in {', '.join(plan.datasets)}")
        run.finish("select_data", output=out.name, plugin=plan.source)
        return plan

    def _select_model(self, run: RunDir, ctx: Context, request: Request, data: DataPlan) -> list[ModelCandidate]:
        out = run.path / "model.json"
        if run.done("select_model"):
            return [ModelCandidate.model_validate(m) for m in _read_json_list(out)]
        run.start("select_model")
        self.log(f"select-model: ranking {request.model.task} models")
        offered: list[ModelCandidate] = self.pm.call_collect("select_model", ctx, request=request, data=data)
        ranked, notes = rank_candidates(offered, request.normalized)
        write_json(run.path / "candidates.json", {"notes": notes, "candidates": [c.model_dump(mode="json") for c in ranked]})
        chosen = ranked[: self.settings.models_per_run]
        write_json(out, [c.model_dump(mode="json") for c in chosen])
        for note in notes:
            self.log(f"note: {note}")
        run.finish("select_model", output=out.name, plugin=",".join(sorted({c.codebase for c in chosen})))
        return chosen

    def _hpo(self, run: RunDir, ctx: Context, request: Request, data: DataPlan,
             models: list[ModelCandidate]) -> tuple[list[Trial], Trial]:
        trials = self._load_trials(run)
        reconcile_trials(run, trials, default_store(self.settings.home_dir), request, data, models,
                         self.settings.hpo.budget_scale, self.log)
        if not run.done("hpo"):
            run.start("hpo")
            hpo = self.settings.hpo
            target = request.normalized.metric_targets.get(PRIMARY_METRIC[request.model.task])
            executor = make_executor(self.settings.executor, self.pm, ctx)
            try:
                self._hpo_loop(run, ctx, request, data, models, trials, target, executor)
            finally:
                executor.close()
            finished = [t for t in trials if t.status == "finished"]
            if not finished:
                raise RunFailed(f"no trial finished ({len(trials)} ran; see {run.path / 'trials'})")
            best = max(finished, key=lambda t: (t.score, -t.index))
            run.record.best_trial = best.index
            run.record.stop_reason = self._stop_reason(trials, target, hpo)
            run.finish("hpo", output=f"trials/{best.index:02d}/trial.json")
        finished = [t for t in trials if t.status == "finished"]
        best = next(t for t in finished if t.index == run.record.best_trial)
        return trials, best

    def _hpo_loop(self, run: RunDir, ctx: Context, request: Request, data: DataPlan, models: list[ModelCandidate],
                  trials: list[Trial], target: float | None, executor: Executor) -> None:
        """Keep up to ``executor.capacity`` trials running, recording each as it ends (``executor.py``)."""
        running: dict[int, TrainJob] = {}
        error: BaseException | None = None
        while True:
            if error is None:
                free = executor.capacity - len(running)
                for job in self._next_jobs(run, ctx, request, data, models, trials, target, running, free):
                    running[job.index] = job
                    executor.submit(job)
            if not running:
                break
            outcomes = executor.wait()
            if not outcomes:
                raise RunFailed(f"executor {executor.name!r} returned nothing for trials {sorted(running)}")
            for out in outcomes:
                running.pop(out.job.index, None)
                if out.error is not None:
                    error = error or out.error  # let the other running trials finish and be recorded
                elif out.trial is not None:
                    self._record_trial(run, request, data, out.job, out.trial, trials)
        if error is not None:
            raise error

    def _next_jobs(self, run: RunDir, ctx: Context, request: Request, data: DataPlan, models: list[ModelCandidate],
                   trials: list[Trial], target: float | None, running: dict[int, TrainJob],
                   free: int) -> list[TrainJob]:
        """Up to ``free`` new jobs: interrupted trials first (same hparams), then new proposals model by model.

        A model takes trials until ``hpo.max_trials``; nothing new starts once the target is reached or
        the wall-time budget is spent. hparams.json (and job.json) are written before the job is returned.
        """
        hpo = self.settings.hpo
        jobs: list[TrainJob] = []
        if free <= 0 or self._budget_spent(trials, target, hpo):
            return jobs
        busy = list(running.values())

        def used(m: ModelCandidate) -> int:
            return sum(t.model == m.name for t in trials) + sum(j.model.name == m.name for j in busy + jobs)

        for index in self._interrupted(run, trials, running):
            if len(jobs) >= free:
                return jobs
            job_file = run.trial_dir(index) / "job.json"
            saved = read_model(job_file, TrainJob).model.name if job_file.exists() else None
            model = next((m for m in models if used(m) < hpo.max_trials and saved in (None, m.name)), None)
            if model is not None:
                self.log(f"trial {index}: rerunning interrupted trial")
                jobs.append(self._job(run, request, data, model, index,
                                      read_model(run.trial_dir(index) / "hparams.json", HParams)))
        for model in models:
            while len(jobs) < free and used(model) < hpo.max_trials:
                history = [t for t in trials if t.model == model.name]
                pending = [j.hparams for j in busy + jobs if j.model.name == model.name]
                n = min(free - len(jobs), hpo.max_trials - used(model))
                proposals = self._propose(ctx, request, data, model, history, pending, n)
                if not proposals:
                    break  # a sequential strategy with a trial of this model still running
                for hparams in proposals:
                    index = self._next_index(run, trials, busy + jobs)
                    try:
                        hparams.check(request.model.task, hpo.budget_scale)
                    except ValueError as e:
                        raise RunFailed(f"proposal for trial {index} is out of range: {e}") from e
                    write_json(run.trial_dir(index) / "hparams.json", hparams)
                    jobs.append(self._job(run, request, data, model, index, hparams))
        return jobs

    def _propose(self, ctx: Context, request: Request, data: DataPlan, model: ModelCandidate, history: list[Trial],
                 pending: list[HParams], n: int) -> list[HParams]:
        """``n`` proposals from a strategy that proposes in batches, else one (none while one is pending)."""
        if n > 1 or pending:
            batch = self.pm.call_companion("propose_hparams", "autommlab_propose_batch", ctx, request=request,
                                           data=data, model=model, history=history, pending=pending, n=n)
            if batch is not None:
                return list(batch)[:n]
            if pending:
                return []
        return [self.pm.call_single("propose_hparams", ctx, request=request, data=data, model=model,
                                    history=history)]

    def _job(self, run: RunDir, request: Request, data: DataPlan, model: ModelCandidate, index: int,
             hparams: HParams) -> TrainJob:
        tdir = run.trial_dir(index)
        self.log(f"trial {index}: {model.name} {hparams.optimizer} lr={hparams.lr:.3g} "
                 f"wd={hparams.weight_decay:.3g} {hparams.lr_schedule} iters={hparams.iters} "
                 f"batch={hparams.batch_size}" + (f" ({hparams.rationale})" if hparams.rationale else ""))
        job = TrainJob(index=index, request=request, data=data, model=model, hparams=hparams,
                       work_dir=tdir / "work", device=self.settings.device, seed=self.settings.hpo.seed + index)
        write_json(tdir / "job.json", job)  # which model an interrupted trial belongs to (and a worker's input)
        return job

    def _record_trial(self, run: RunDir, request: Request, data: DataPlan, job: TrainJob, trial: Trial,
                      trials: list[Trial]) -> None:
        """trial.json, then run.json, then the trial record; a trial that came back twice is recorded once."""
        index = job.index
        tdir = run.trial_dir(index)
        if (tdir / "trial.json").exists() or index in run.record.trials:
            self.log(f"trial {index}: already recorded; a second result (retried worker) is ignored")
            return
        write_json(tdir / "trial.json", trial)
        trials.append(trial)
        trials.sort(key=lambda t: t.index)
        run.record.trials.append(index)
        run.save()
        default_store(self.settings.home_dir).append(
            make_record(run.record.run_id, request, data, job.model, trial, budget_scale=self.settings.hpo.budget_scale),
            once=True)
        if trial.status == "finished":
            self.log(f"trial {index}: {trial.primary_metric}={trial.score:.4f} in {trial.wall_time_s:.0f}s")
        else:
            self.log(f"trial {index}: failed: {trial.error}")

    @staticmethod
    def _budget_spent(trials: list[Trial], target: float | None, hpo) -> bool:
        if target is not None and any(t.score is not None and t.score >= target for t in trials):
            return True
        return hpo.max_wall_time_s is not None and sum(t.wall_time_s for t in trials) >= hpo.max_wall_time_s

    @staticmethod
    def _interrupted(run: RunDir, trials: list[Trial], running: dict[int, TrainJob]) -> list[int]:
        """Indices with hparams.json but no result, not running now (ascending)."""
        done = {t.index for t in trials}
        out = []
        for f in (run.path / "trials").glob("*/hparams.json"):
            if f.parent.name.isdigit() and (i := int(f.parent.name)) not in done and i not in running \
                    and not (f.parent / "trial.json").exists():
                out.append(i)
        return sorted(out)

    @staticmethod
    def _next_index(run: RunDir, trials: list[Trial], jobs: list[TrainJob]) -> int:
        on_disk = [int(f.parent.name) for f in (run.path / "trials").glob("*/hparams.json") if f.parent.name.isdigit()]
        return max([t.index for t in trials] + [j.index for j in jobs] + on_disk, default=0) + 1

    @staticmethod
    def _stop_reason(trials: list[Trial], target: float | None, hpo) -> str:
        if target is not None and any(t.score is not None and t.score >= target for t in trials):
            return f"target {target:g} reached"
        if hpo.max_wall_time_s is not None and sum(t.wall_time_s for t in trials) >= hpo.max_wall_time_s:
            return f"wall-time budget {hpo.max_wall_time_s:g}s spent"
        return f"trial budget ({hpo.max_trials} per model) spent"

    @staticmethod
    def _load_trials(run: RunDir) -> list[Trial]:
        trials = []
        for f in sorted((run.path / "trials").glob("*/trial.json")):
            trials.append(read_model(f, Trial))
        return sorted(trials, key=lambda t: t.index)

    def _deploy_target(self, run: RunDir, result: RunResult) -> DeployTarget:
        req = result.request.normalized
        backend = self.settings.deploy.backend or req.engine or DEFAULT_BACKEND
        device = "cuda" if (req.device == "gpu" or backend == "tensorrt") else "cpu"
        model = next(m for m in result.models if m.name == result.best.model)
        return DeployTarget(backend=backend, device=device, precision=self.settings.deploy.precision,
                            out_dir=run.path / "deploy" / backend, request=result.request, data=result.data,
                            model=model, min_fps=req.min_fps, latency_runs=self.settings.deploy.latency_runs,
                            warmup_runs=self.settings.deploy.warmup_runs)

    def _deploy(self, run: RunDir, ctx: Context, result: RunResult) -> Deployment:
        out = run.path / "deployment.json"
        if run.done("deploy"):
            return read_model(out, Deployment)
        run.start("deploy")
        target = self._deploy_target(run, result)
        self.log(f"deploy: {target.backend} on {target.device} ({target.precision})")
        deployment: Deployment = self.pm.call_single("deploy", ctx, trial=result.best, target=target)
        write_json(out, deployment)
        run.finish("deploy", output=out.name, plugin=self._served_by("deploy", ctx))
        return deployment

    def _write_report(self, run: RunDir, result: RunResult) -> None:
        if result.request is not None:
            result.requirements = report_mod.check_requirements(result)
        faults.point("report")
        text = report_mod.render(run.record, result)
        atomic_write_text(run.path / "report.md", text)
        for path in write_rich_reports(self.pm, run.record, result, self._context(run)):
            self.log(f"report: {path}")
        run.record.requirements_met = result.requirements_met
        if result.failed_stage is None:
            run.finish("report", output="report.md")
        else:
            run.save()

    def _served_by(self, stage: str, ctx: Context) -> str | None:
        """Name of the plugin that answered a single-answer stage (the first that did not decline)."""
        declined = {d.plugin for d in ctx.declines_for(stage)}
        for name in self.pm.chosen(stage):
            if name not in declined:
                return name
        return None


def _read_json_list(path: Path) -> list[Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise RunFailed(f"{path}: cannot read ({e})") from e
