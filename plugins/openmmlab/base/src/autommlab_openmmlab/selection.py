"""select-model for one codebase: a bounded shortlist of zoo models with measured complexity.

In: the ``Request``, the ``DataPlan`` and the codebase spec. Out: a list of
``ModelCandidate`` (params/FLOPs computed at the input size used, reported
metric, config, weights and whether they are on disk or
fetchable, recipe). Computing complexity means building each
model (seconds on CPU), so only a shortlist is computed at select time: the
variants of the family the request names, else the codebase's small
defaults; models already in the complexity cache for this head size are
offered too (``autommlab models index`` fills it).
"""

from __future__ import annotations

from pathlib import Path

from autommlab.schemas import ModelCandidate, Recipe

from . import complexity, zoo
from .spec import CodebaseSpec
from .weights import annotate

SHORTLIST = 6


def head_size(spec: CodebaseSpec, data) -> int:
    """Classes (or keypoints) the trained head will have."""
    if spec.task == "keypoint":
        names = (data.metainfo or {}).get("keypoint_names") or []
        return len(names)
    return len(data.classes)


def shortlist(spec: CodebaseSpec, models: list[zoo.ZooModel], wanted: str | None,
              defaults: list[str] | None = None) -> tuple[list[zoo.ZooModel], str]:
    """Zoo models to compute at select time, and why (``defaults``: ``[plugins.<name>] defaults``)."""
    names = list(defaults or spec.defaults)
    if wanted:
        hits = zoo.match_family(models, wanted, limit=SHORTLIST)
        if hits:
            return hits, f"variants of {wanted!r} in the {spec.package} zoo (at most {SHORTLIST})"
        hits = [m for m in (zoo.find(models, n) for n in names) if m is not None]
        return hits, f"no {spec.package} zoo model matches {wanted!r}; offering the small defaults instead"
    hits = [m for m in (zoo.find(models, n) for n in names) if m is not None]
    return hits, f"small defaults for {spec.task}: {', '.join(names)}"


def candidate(spec: CodebaseSpec, m: zoo.ZooModel, cx: dict, ctx) -> ModelCandidate:
    return ModelCandidate(
        codebase=spec.name, name=m.name, task=spec.task, family=m.family,
        params_m=cx["params_m"], flops_g=cx["flops_g"], input_size=list(cx["input_size"]),
        source_dataset=m.source_dataset, reported_metrics=m.reported_metrics,
        config=str(m.config), weights=m.weights,
        recipe=Recipe(**cx.get("recipe", {})),
    )


def select_model(spec: CodebaseSpec, request, data, ctx) -> list[ModelCandidate] | None:
    task = request.normalized.task
    if task != spec.task:
        return ctx.decline(spec.name, f"serves {spec.task}, the request is {task}")
    if data.task != spec.task:
        return ctx.decline(spec.name, f"serves {spec.task}, the data plan is for {data.task}")
    models = zoo.load_zoo(spec)
    if not models:
        return ctx.decline(spec.name, f"{spec.package} is not installed or its .mim zoo has no {spec.task} model")
    home = ctx.config.home_dir if ctx.config is not None else Path("~/.autommlab").expanduser()
    nc = head_size(spec, data)
    wanted = request.normalized.specific_model
    picks, why = shortlist(spec, models, wanted, ctx.plugin_config(spec.name).get("defaults"))
    ctx.log(f"{spec.name}: computing params/FLOPs for {len(picks)} models ({why}); "
            f"run `autommlab models index` to offer the whole zoo")
    out: list[ModelCandidate] = []
    failures: list[str] = []
    for m in picks:
        try:
            cx = complexity.get(spec, m, home, num_classes=nc)
        except Exception as e:  # a zoo config that does not build here is skipped, and said so
            failures.append(f"{m.name}: {type(e).__name__}: {e}")
            continue
        out.append(candidate(spec, m, cx, ctx))
    names = {c.name for c in out}
    for m in models:  # whatever the cache already knows at this head size costs nothing
        if m.name in names:
            continue
        cx = complexity.get(spec, m, home, num_classes=nc, compute_missing=False)
        if cx is not None:
            out.append(candidate(spec, m, cx, ctx))
    for f in failures:
        ctx.log(f"{spec.name}: skipped {f}")
    if not out:
        reason = why if not picks else f"no shortlisted model could be built: {'; '.join(failures)}"
        return ctx.decline(spec.name, reason)
    return annotate(out, ctx, spec.name)  # where each one's zoo weights are: on disk, fetchable, or not
