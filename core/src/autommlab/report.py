"""report.md: what was asked, what was done, and which requirements were met, with measured numbers."""

from __future__ import annotations

from .chance import chance_check, not_usable
from .benchmark import markdown_section as benchmark_markdown
from .results import RequirementCheck, RunResult
from .schemas import PRIMARY_METRIC, RunRecord


def check_requirements(result: RunResult) -> list[RequirementCheck]:
    """Compare every stated requirement of the request with what the run measured.

    A requirement whose number was not measured (stage failed or not reached)
    counts as not met: the report never claims what it did not measure. Every
    run with a trained model also has to beat chance (``chance.py``), stated or not.
    """
    req = result.request.normalized
    checks: list[RequirementCheck] = []
    best, dep = result.best, result.deployment
    model = next((m for m in result.models if best and m.name == best.model), result.models[0] if result.models else None)

    if best is not None:  # the deployed model is what the user gets; else the trial's PyTorch numbers
        primary = PRIMARY_METRIC[best.task]
        on_dep = dep is not None and primary in dep.metrics
        usable = chance_check(best.task, dep.metrics if on_dep else best.metrics, result.data,
                              f"deployed {dep.backend} model on val" if on_dep else f"trial {best.index} on val")
        if usable is not None:
            checks.append(usable)

    for name, target in req.metric_targets.items():
        if dep is not None and name in dep.metrics:
            value, where = dep.metrics[name], f"deployed {dep.backend} model on val"
        elif best is not None and name in best.metrics:
            value, where = best.metrics[name], f"trial {best.index} on val (PyTorch)"
        else:
            checks.append(RequirementCheck(f"{name} >= {target:g}", "not measured", False))
            continue
        checks.append(RequirementCheck(f"{name} >= {target:g}", f"{value:.4f} ({where})", value >= target))

    if req.max_params_m is not None:
        v = model.params_m if model else None
        checks.append(RequirementCheck(f"parameters <= {req.max_params_m:g} M",
                                       "not measured" if v is None else f"{v:.3f} M ({model.name})",
                                       v is not None and v <= req.max_params_m))
    if req.max_flops_g is not None:
        v = model.flops_g if model else None
        size = "x".join(map(str, model.input_size)) if model and model.input_size else "?"
        checks.append(RequirementCheck(f"FLOPs <= {req.max_flops_g:g} G",
                                       "not measured" if v is None else f"{v:.3f} G at {size} ({model.name})",
                                       v is not None and v <= req.max_flops_g))
    if req.min_fps is not None:
        if dep is None:
            checks.append(RequirementCheck(f"speed >= {req.min_fps:g} fps", "not measured (no deployment)", False))
        else:
            lat = dep.latency
            fps = 1000.0 / lat.p50_ms if lat.p50_ms > 0 else float("inf")
            checks.append(RequirementCheck(
                f"speed >= {req.min_fps:g} fps ({1000.0 / req.min_fps:.3g} ms)",
                f"{fps:.1f} fps (p50 {lat.p50_ms:.2f} ms, p90 {lat.p90_ms:.2f} ms, {dep.backend} on {dep.device})",
                fps >= req.min_fps))
    if req.engine is not None:
        got = dep.backend if dep else None
        checks.append(RequirementCheck(f"inference engine {req.engine}", got or "not deployed", got == req.engine))
    if req.device is not None:
        want = "cuda" if req.device == "gpu" else "cpu"
        got = dep.device if dep else None
        checks.append(RequirementCheck(f"runs on {req.device}", got or "not deployed", got == want))
    if result.data is not None and req.objects:
        unmatched = result.data.unmatched
        checks.append(RequirementCheck(
            f"data for {', '.join(req.objects)}",
            f"matched {len(req.objects) - len(unmatched)}/{len(req.objects)}" + (f"; unmatched: {', '.join(unmatched)}" if unmatched else ""),
            not unmatched))
    return checks


def _table(headers: list[str], rows: list[list[str]]) -> str:
    def esc(s: object) -> str:
        return str(s).replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def _f(x: float | None, fmt: str = ".4g") -> str:
    return "-" if x is None else format(x, fmt)


def title(record: RunRecord, result: RunResult) -> str:
    """The report's first line (plain text): the run id, and that the model is not usable when it is at chance."""
    bad = not_usable(result.requirements)
    return f"AutoMMLab run {record.run_id}" + (": the model is NOT USABLE (at chance level)" if bad else "")


def render(record: RunRecord, result: RunResult) -> str:
    """Render the run as Markdown."""
    bad = not_usable(result.requirements)
    lines = [f"# {title(record, result)}", ""] + ([f"**Not usable:** {bad.measured}.", ""] if bad else []) + ["## Request", "", "> " + record.text.strip().replace("\n", "\n> "), ""]
    if result.failed_stage:
        lines += [f"**The run stopped at stage `{result.failed_stage}`:**", "", "```", result.error or "", "```",
                  "", f"Resume with `autommlab run --resume {result.run_dir}`.", ""]

    if result.requirements:
        met = all(r.met for r in result.requirements)
        lines += ["## Requirements", "", f"**{'All stated requirements met.' if met else 'Some stated requirements were NOT met.'}**", ""]
        lines.append(_table(["requirement", "measured", "met"],
                            [[r.requirement, r.measured, "yes" if r.met else "**no**"] for r in result.requirements]))
        lines.append("")
    elif result.request is not None:
        lines += ["## Requirements", "", "The request states no measurable requirement.", ""]

    if result.request is not None:
        n = result.request.normalized
        lines += ["## Understood as", "", _table(["key", "value"], [
            ["task", n.task], ["task stated", f"no - guessed: {n.task_note}" if n.task_guessed else "yes"],
            ["objects", ", ".join(n.objects) or "-"], ["datasets named", ", ".join(n.datasets) or "-"],
            ["model named", n.specific_model or "-"], ["min speed", f"{n.min_fps:.3g} fps" if n.min_fps else "-"],
            ["max params", f"{n.max_params_m:g} M" if n.max_params_m else "-"],
            ["max FLOPs", f"{n.max_flops_g:g} G" if n.max_flops_g else "-"],
            ["metric targets", ", ".join(f"{k} >= {v:g}" for k, v in n.metric_targets.items()) or "-"],
            ["device", n.device or "-"], ["engine", n.engine or "-"],
        ]), "", f"Parsed by `{record.stages['parse'].plugin}`. Full parse: `request.json`.", ""]

    if result.data is not None:
        d = result.data
        lines += ["## Data", "", f"Dataset(s): {', '.join(d.datasets)} (format {d.format}, by `{d.source}`); "
                  f"{d.num_train} train / {d.num_val} val.", ""]
        if d.matches:
            lines.append(_table(["request object", "categories", "how", "score"],
                                [[m.request_object, ", ".join(m.categories), m.reason, f"{m.score:.2f}"] for m in d.matches]))
            lines.append("")
        lines.append(_table(["class", "train", "val"],
                            [[c, str(d.train_counts.get(c, 0)), str(d.val_counts.get(c, 0))] for c in d.classes]))
        lines.append("")
        if d.unmatched:
            lines += [f"**Unmatched request objects:** {', '.join(d.unmatched)}", ""]
        lines += [f"- {note}" for note in d.notes] + ([""] if d.notes else [])

    if result.models:
        lines += ["## Model", ""]
        for m in result.models:
            lines += [f"**{m.name}** ({m.codebase}, family {m.family or '-'}): params {_f(m.params_m)} M, "
                      f"FLOPs {_f(m.flops_g)} G at {'x'.join(map(str, m.input_size)) or '?'}; config `{m.config}`.", ""]
            lines += [f"- {r}" for r in m.reasons] + [""]
        lines += ["All ranked candidates with reasons: `candidates.json`.", ""]

    if result.trials:
        primary = PRIMARY_METRIC[result.trials[0].task]
        lines += ["## Trials", "", f"Stop: {record.stop_reason or '-'}. Primary metric: {primary}.", ""]
        rows = []
        for t in result.trials:
            h = t.hparams
            rows.append([str(t.index) + (" **best**" if result.best and t.index == result.best.index else ""),
                         t.model, h.optimizer, f"{h.lr:.3g}", f"{h.weight_decay:.3g}", h.lr_schedule, str(h.iters),
                         str(h.batch_size), t.status, ", ".join(f"{k}={v:.4f}" for k, v in sorted(t.metrics.items())) or (t.error or "-"),
                         f"{t.wall_time_s:.0f}s"])
        lines.append(_table(["#", "model", "optimizer", "lr", "wd", "schedule", "iters", "batch", "status", "val metrics", "time"], rows))
        lines.append("")
        if result.best:
            lines += [f"- trial {result.best.index}: {n}" for n in result.best.notes]
            if result.best.pretrained is None:
                why = ("offline = true: nothing was downloaded" if record.config.get("offline")
                       else "no pretrained weights were available")
                lines.append(f"- trial {result.best.index} was trained from scratch ({why}).")
            else:
                b = result.best
                lines.append(f"- trial {b.index} started from `{b.pretrained}` (source {b.pretrained_url or 'a local file'}"
                             f", sha256 {b.pretrained_sha256 or 'unknown'}).")
            lines.append("")

    if result.deployment is not None:
        dep = result.deployment
        lat = dep.latency
        lines += ["## Deployment", "", f"Backend {dep.backend} on {dep.device} ({dep.precision}).", "",
                  _table(["measure", "value"], [
                      ["latency p50 / p90 / mean", f"{lat.p50_ms:.2f} / {lat.p90_ms:.2f} / {lat.mean_ms:.2f} ms"],
                      ["throughput", f"{lat.throughput_fps:.1f} images/s (batch {lat.batch_size})"],
                      ["runs (warm-up)", f"{lat.runs} ({lat.warmup})"],
                      ["input size", "x".join(map(str, lat.input_size)) or "-"],
                      *[[f"deployed {k}", f"{v:.4f}"] for k, v in sorted(dep.metrics.items())],
                      *[[f"parity {k}", str(v)] for k, v in dep.parity.items()],
                  ]), ""]
        lines += [f"- artifact `{k}`: `{v}`" for k, v in dep.artifacts.items()]
        lines += [f"- {n}" for n in dep.notes] + [""]
    lines += benchmark_markdown(result.run_dir)
    return "\n".join(lines).rstrip() + "\n"
