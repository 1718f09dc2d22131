"""``autommlab benchmark RUN_DIR``: the best trial on every installed backend that can run here, one table.

In: a run directory whose HPO stage is done. For every (backend, device) pair a
deploy plugin declares in ``autommlab_plugin_info()["backends"]``, the deploy
hook exports and measures the best trial into ``<run>/benchmark/<backend>-<device>/``
(the same export, val pass and latency code as the deploy stage); a pair no
plugin can serve here gets the plugin's reason instead of numbers. The PyTorch
row is what the deploy plugin measured of the PyTorch model on the same val
split and input (``parity.pytorch_metrics`` / ``pytorch_latency``).
Out: ``<run>/benchmark.json`` and ``benchmark.md``; report.md / report.html
gain a benchmark section (re-rendered when the run is complete).
Nothing here imports torch: all the work happens in the deploy plugins.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field

from .context import Context, ProgressFactory
from .errors import AutoMMLabError, UsageError
from .rundir import RunDir, atomic_write_text, read_model, write_json
from .schemas import PRIMARY_METRIC, DataPlan, Deployment, DeployTarget, ModelCandidate, Request, Trial, _now

BENCH_FILE = "benchmark.json"
HEADERS = ["backend", "device", "val metric", "delta vs PyTorch", "p50 ms", "p90 ms", "fps", "file MB", "note"]


class BenchmarkRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backend: str
    device: str
    status: Literal["measured", "unavailable", "failed"]
    reason: str | None = None  # why there are no numbers
    metric: float | None = None  # the primary metric on val
    delta_vs_pytorch: float | None = None
    p50_ms: float | None = None
    p90_ms: float | None = None
    fps: float | None = None  # Latency.throughput_fps: 1000 / mean, batch 1
    size_mb: float | None = None
    artifact: str | None = None


class Benchmark(BaseModel):
    model_config = ConfigDict(extra="forbid")
    run_id: str
    trial: int
    model: str
    primary_metric: str
    created: str = Field(default_factory=_now)
    latency_runs: int
    warmup_runs: int
    rows: list[BenchmarkRow]
    notes: list[str] = Field(default_factory=list)


def declared_backends(pm: Any) -> list[tuple[str, str, str]]:
    """(backend, device, plugin) pairs from every plugin's ``autommlab_plugin_info()["backends"]``, in order."""
    out: list[tuple[str, str, str]] = []
    for impl in reversed(pm.hook.autommlab_plugin_info.get_hookimpls()):
        try:
            info = impl.function() or {}
        except Exception:  # noqa: BLE001 - a broken info hook only hides that plugin's backends
            continue
        for b in info.get("backends", []) if isinstance(info, dict) else []:
            pair = (str(b["backend"]), str(b.get("device", "cpu")), impl.plugin_name)
            if pair[:2] not in [p[:2] for p in out]:
                out.append(pair)
    return out


def _size_mb(path: Any) -> float | None:
    p = Path(path) if path else None
    return round(p.stat().st_size / 2**20, 3) if p and p.is_file() else None


def _load(run: RunDir) -> tuple[Request, DataPlan, list[ModelCandidate], Trial]:
    if not run.done("hpo") or run.record.best_trial is None:
        raise UsageError(f"{run.path}: the HPO stage has not finished, so there is no best trial to benchmark "
                         f"(continue it with `autommlab run --resume {run.path}`)")
    request = read_model(run.path / "request.json", Request)
    data = read_model(run.path / "data.json", DataPlan)
    models = [ModelCandidate.model_validate(m) for m in json.loads((run.path / "model.json").read_text())]
    best = read_model(run.trial_dir(run.record.best_trial) / "trial.json", Trial)
    return request, data, models, best


def run_benchmark(settings: Any, pm: Any, path: Path, log: Callable[[str], None] = print,
                  progress_factory: ProgressFactory | None = None) -> Benchmark:
    """Deploy and measure the best trial of the run at ``path`` on every declared backend; write the results."""
    run = RunDir.open(path)
    request, data, models, best = _load(run)
    model = next((m for m in models if m.name == best.model), models[0])
    primary = best.primary_metric or PRIMARY_METRIC[best.task]
    rows: list[BenchmarkRow] = []
    pytorch: dict[str, Any] | None = None
    pairs = declared_backends(pm)
    if not pairs:
        raise UsageError("no installed deploy plugin declares a backend (install autommlab-deploy-ort)")
    for backend, device, plugin in pairs:
        ctx = Context(config=settings, run_dir=run.path, log=log, progress_factory=progress_factory, stage="deploy")
        target = DeployTarget(backend=backend, device=device, precision=settings.deploy.precision,
                              out_dir=run.path / "benchmark" / f"{backend}-{device}", request=request, data=data,
                              model=model, min_fps=request.normalized.min_fps,
                              latency_runs=settings.deploy.latency_runs, warmup_runs=settings.deploy.warmup_runs)
        log(f"benchmark: {backend} on {device}")
        try:
            dep: Deployment | None = pm.hook.autommlab_deploy(trial=best, target=target, ctx=ctx)
        except AutoMMLabError as e:
            rows.append(BenchmarkRow(backend=backend, device=device, status="failed", reason=str(e)))
            continue
        except Exception as e:  # noqa: BLE001 - one backend breaking must not hide the others' numbers
            rows.append(BenchmarkRow(backend=backend, device=device, status="failed",
                                     reason=f"{type(e).__name__}: {e}"))
            continue
        if dep is None:
            reasons = [d.reason for d in ctx.declines_for("deploy") if d.plugin == plugin] or \
                [f"{d.plugin}: {d.reason}" for d in ctx.declines_for("deploy")]
            rows.append(BenchmarkRow(backend=backend, device=device, status="unavailable",
                                     reason="; ".join(reasons) or "no plugin served it"))
            continue
        value = dep.metrics.get(primary)
        delta = (dep.parity.get("metric_delta") or {}).get(primary)
        rows.append(BenchmarkRow(backend=dep.backend, device=dep.device, status="measured", metric=value,
                                 delta_vs_pytorch=delta, p50_ms=dep.latency.p50_ms, p90_ms=dep.latency.p90_ms,
                                 fps=dep.latency.throughput_fps, size_mb=_size_mb(dep.artifacts.get("model")),
                                 artifact=str(dep.artifacts.get("model"))))
        torch_metrics = dep.parity.get("pytorch_metrics") or {}
        if pytorch is None and dep.parity.get("pytorch_latency") and primary in torch_metrics:
            pytorch = dict(metric=dep.parity["pytorch_metrics"][primary], latency=dep.parity["pytorch_latency"],
                           by=f"{dep.backend}-{dep.device}")
    notes = [f"best trial {best.index} ({best.model}); val metric: {primary} on the val split "
             f"({data.num_val} images); latency: batch 1, {settings.deploy.warmup_runs} warm-up + "
             f"{settings.deploy.latency_runs} timed runs, preprocessing excluded; fps = 1000 / mean latency"]
    if pytorch is not None:
        lat = pytorch["latency"]
        rows.insert(0, BenchmarkRow(backend="pytorch", device="cpu", status="measured", metric=pytorch["metric"],
                                    delta_vs_pytorch=0.0, p50_ms=lat["p50_ms"], p90_ms=lat["p90_ms"],
                                    fps=lat["throughput_fps"], size_mb=_size_mb(best.checkpoint),
                                    artifact=str(best.checkpoint)))
        notes.append(f"PyTorch row: the eager model measured during the {pytorch['by']} benchmark (same val split, "
                     f"same input, same threads); its file is the trial checkpoint")
    else:
        rows.insert(0, BenchmarkRow(backend="pytorch", device="cpu", status="unavailable",
                                    reason="no backend measured the PyTorch model on CPU (it is measured with the "
                                           "ONNX Runtime CPU deployment)", size_mb=_size_mb(best.checkpoint)))
    bench = Benchmark(run_id=run.record.run_id, trial=best.index, model=best.model, primary_metric=primary,
                      latency_runs=settings.deploy.latency_runs, warmup_runs=settings.deploy.warmup_runs, rows=rows,
                      notes=notes)
    write_json(run.path / BENCH_FILE, bench)
    atomic_write_text(run.path / "benchmark.md", "\n".join(markdown_section(run.path)) + "\n")
    return bench


def read_benchmark(run_dir: Path) -> Benchmark | None:
    f = Path(run_dir) / BENCH_FILE
    return read_model(f, Benchmark) if f.is_file() else None


def _fmt(x: float | None, fmt: str) -> str:
    return "-" if x is None else format(x, fmt)


def table_rows(bench: Benchmark) -> list[list[str]]:
    """One row of strings per backend, in ``HEADERS`` order."""
    out = []
    for r in bench.rows:
        delta = "-" if r.delta_vs_pytorch is None else f"{r.delta_vs_pytorch:+.4f}"
        note = r.reason if r.status != "measured" else ""
        out.append([r.backend, r.device, _fmt(r.metric, ".4f"), delta, _fmt(r.p50_ms, ".2f"), _fmt(r.p90_ms, ".2f"),
                    _fmt(r.fps, ".1f"), _fmt(r.size_mb, ".2f"), ("cannot run here: " + note) if r.status ==
                    "unavailable" else (("failed: " + note) if r.status == "failed" else note)])
    return out


def markdown_section(run_dir: Path) -> list[str]:
    """The report.md lines of the run's benchmark ([] when ``autommlab benchmark`` was not run)."""
    try:
        bench = read_benchmark(run_dir)
    except AutoMMLabError as e:  # a damaged benchmark.json must not stop report.md
        return ["## Benchmark", "", f"benchmark.json could not be read: {e}", ""]
    if bench is None:
        return []
    head = [h if h != "val metric" else f"val {bench.primary_metric}" for h in HEADERS]
    esc = (lambda s: str(s).replace("|", "\\|").replace("\n", " "))
    lines = ["## Benchmark", "", f"`autommlab benchmark` on {bench.created}, best trial {bench.trial} ({bench.model}).",
             "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in table_rows(bench)]
    lines += [""] + [f"- {n}" for n in bench.notes] + [""]
    return lines


def report_parts(run_dir: Path) -> list[Any]:
    """The benchmark as a table part for the rich report ([] when there is none)."""
    from .report_parts import ReportPart

    bench = read_benchmark(run_dir)
    if bench is None:
        return []
    head = [h if h != "val metric" else f"val {bench.primary_metric}" for h in HEADERS]
    return [ReportPart(plugin="autommlab", section="benchmark", kind="table",
                       title=f"autommlab benchmark ({bench.created}), best trial {bench.trial} ({bench.model})",
                       headers=head, rows=table_rows(bench), notes=bench.notes)]


def print_benchmark(settings: Any, pm: Any, run_dir: Path, console: Any, log: Callable[[str], None] = print,
                    progress_factory: ProgressFactory | None = None) -> Benchmark:
    """Run the benchmark, print it as a rich table, and re-render the run's reports when the run is complete."""
    from rich.table import Table

    bench = run_benchmark(settings, pm, run_dir, log=log, progress_factory=progress_factory)
    t = Table(title=f"Benchmark of {bench.run_id}, trial {bench.trial} ({bench.model})")
    for h in HEADERS:
        t.add_column(h if h != "val metric" else f"val {bench.primary_metric}", overflow="fold")
    for row in table_rows(bench):
        t.add_row(*row)
    console.print(t)
    for n in bench.notes:
        console.print(f"- {n}", markup=False, highlight=False)
    run = RunDir.open(run_dir)
    if run.record.first_unfinished() in (None, "report"):
        from .pipeline import Pipeline

        Pipeline(settings, pm, log=log).resume(Path(run_dir))  # every stage is done: this only rewrites the reports
        log(f"benchmark added to {Path(run_dir) / 'report.md'}")
    else:
        log(f"the run is not complete ({run.record.first_unfinished()} pending); its report will show the "
            f"benchmark when it finishes")
    return bench
