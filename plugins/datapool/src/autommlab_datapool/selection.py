"""The select-data stage: rank pool datasets for a Request and write the best subsets.

``select_data(request, ctx) -> list[DataPlan] | None``. Real registered
datasets come first; the demo datasets are used only when no registered
dataset matches any request object (or when the request pins one).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autommlab.schemas import DataPlan, Request

from . import PLUGIN_NAME
from .cards import DatasetCard
from .fsutil import write_json
from .match import MatchResult, match_objects

SUBSET_VERSION = 1
DEMO_WEIGHT = 0.5  # demo plans rank below any real plan of similar quality
CONVERTED_WEIGHT = 0.98  # prefer a dataset already in the trainer's format (e.g. masks over COCO -> masks)
MAX_NAMED_NEGATIVES = 9  # one-class classification: keep up to this many other classes by name, else "other"
NATIVE = {"classification": "imagenet", "detection": "coco", "segmentation": "semantic_masks",
          "keypoint": "coco_keypoints"}


@dataclass
class Candidate:
    card: DatasetCard
    match: MatchResult
    score: float
    notes: list[str]


def settings_of(ctx: Any):
    """The effective Settings: ``ctx.config`` when the core passed it, else the loaded config."""
    if ctx is not None and getattr(ctx, "config", None) is not None:
        return ctx.config
    from autommlab.config import load_config
    return load_config().settings


class Options(BaseModel):
    """``[plugins.datapool]`` settings, validated (a wrong type or range names the key)."""

    model_config = ConfigDict(extra="allow")
    seed: int | None = None  # default: hpo.seed
    val_fraction: float = Field(0.2, gt=0, lt=1)
    max_plans: int = Field(2, ge=1, le=100)
    use_demo: bool = True
    use_embedding: bool = True
    demo_seed: int = 0
    demo_scale: float = Field(1.0, gt=0, le=100)


def _options(ctx: Any, settings: Any) -> dict[str, Any]:
    from autommlab.errors import UsageError
    cfg = ctx.plugin_config(PLUGIN_NAME) if ctx is not None else {}
    try:
        opts = Options.model_validate(cfg).model_dump()
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))} = {err.get('input')!r}: {err['msg']}"
                             for err in e.errors())
        raise UsageError(f"[plugins.{PLUGIN_NAME}] {problems}") from e
    if opts["seed"] is None:
        opts["seed"] = int(getattr(getattr(settings, "hpo", None), "seed", 0))
    return opts


def _match_categories(card: DatasetCard) -> list[str]:
    # a mask dataset's class 0 is background: never a match target
    return card.categories[1:] if card.format == "semantic_masks" else list(card.categories)


def rank(request: Request, cards: dict[str, DatasetCard], use_embedding: bool = True,
         use_demo: bool = True) -> tuple[list[Candidate], list[str]]:
    """Candidates (best first) and reasons why the others were left out."""
    task = request.model.task
    objects = [o for o in request.data.object if o.strip()]
    pinned = [s for s in request.data.specific if s.strip() and s.strip().lower() != "none"]
    why: list[str] = []
    if pinned:
        lower = {n.lower(): n for n in cards}
        chosen = [lower[p.lower()] for p in pinned if p.lower() in lower]
        missing = [p for p in pinned if p.lower() not in lower]
        if missing:
            why.append(f"requested dataset(s) {', '.join(map(repr, missing))} are not in the pool "
                       f"(pool: {', '.join(sorted(cards))})")
        pool = {n: cards[n] for n in chosen}
        if not pool:
            return [], why
    else:
        pool = cards
    out: list[Candidate] = []
    for name, card in pool.items():
        if task not in card.tasks:
            if pinned:
                why.append(f"{name} is {card.format} and serves {', '.join(card.tasks)}, not {task}")
            continue
        notes: list[str] = []
        cats = _match_categories(card)
        if objects:
            m = match_objects(objects, cats, use_embedding=use_embedding)
            notes += m.notes
        else:
            from autommlab.schemas import ClassMatch
            m = MatchResult(matches=[ClassMatch(request_object="(any)", categories=cats, reason="all categories",
                                                score=1.0)])
            notes.append(f"the request names no objects; using every category of {name}")
        if task == "classification" and len(card.categories) < 2:
            why.append(f"{name} has a single category; classification needs two or more")
            continue
        if not m.matches:
            why.append(f"{name}: no category matches {', '.join(map(repr, objects))} "
                       f"(has {', '.join(cats[:12])}{' ...' if len(cats) > 12 else ''})")
            continue
        score = m.coverage * m.mean_score * (DEMO_WEIGHT if card.demo else 1.0)
        score *= 1.0 if NATIVE[task] == card.format else CONVERTED_WEIGHT
        out.append(Candidate(card, m, round(score, 4), notes))
    real = [c for c in out if not c.card.demo]
    if not pinned:
        if real or not use_demo:
            out = real
    out.sort(key=lambda c: (-c.score, c.card.demo, c.card.name))
    return out, why


def _fingerprint(card: DatasetCard, task: str, categories: list[str], seed: int, val_fraction: float,
                 negatives: list[str] | None = None) -> str:
    key = json.dumps({"v": SUBSET_VERSION, "name": card.name, "path": str(card.path), "added": card.added,
                      "images": card.images, "task": task, "cats": categories, "neg": negatives or [],
                      "seed": seed, "val": val_fraction}, sort_keys=True)
    return hashlib.sha1(key.encode()).hexdigest()


def write_plan_subset(card: DatasetCard, task: str, categories: list[str], out_dir: Path, seed: int,
                      val_fraction: float, negatives: list[str] | None = None) -> dict[str, Any]:
    """Build (or reuse) the subset in ``out_dir``; ``subset.json`` written last marks it complete."""
    from .subset import build_subset
    fp = _fingerprint(card, task, categories, seed, val_fraction, negatives)
    marker, building = out_dir / "subset.json", out_dir / ".building"
    if marker.is_file():
        try:
            saved = json.loads(marker.read_text())
            if saved.get("fingerprint") == fp:
                return saved["subset"]
        except (json.JSONDecodeError, KeyError):
            pass
        shutil.rmtree(out_dir)  # ours (it has our marker) but for other categories/seed: rebuild
    elif building.is_file() and building.read_text().strip() != fp:
        shutil.rmtree(out_dir)  # an interrupted build of another subset: stale files would leak in
    out_dir.mkdir(parents=True, exist_ok=True)
    building.write_text(fp)  # same fingerprint next time: resume (links and masks already written are kept)
    sub = build_subset(card, task, categories, out_dir, seed=seed, val_fraction=val_fraction, negatives=negatives)
    data = {"format": sub.format, "classes": sub.classes, "files": sub.files, "train_counts": sub.train_counts,
            "val_counts": sub.val_counts, "metainfo": sub.metainfo, "notes": sub.notes}
    write_json(marker, {"fingerprint": fp, "subset": data}, indent=2)
    building.unlink(missing_ok=True)
    return data


def subset_dir(ctx: Any, home: Path, card: DatasetCard, task: str, categories: list[str], seed: int,
               val_fraction: float) -> Path:
    run_dir = getattr(ctx, "run_dir", None) if ctx is not None else None
    if run_dir is not None:
        return Path(run_dir) / "data" / card.name
    fp = _fingerprint(card, task, categories, seed, val_fraction)[:10]  # categories incl. negatives
    return Path(home) / "cache" / "subsets" / f"{card.name}-{task}-{fp}"


def make_plan(request: Request, cand: Candidate, ctx: Any, home: Path, opts: dict[str, Any]) -> DataPlan:
    """Write the candidate's subset and describe it as a DataPlan."""
    from .demo import DEMO_NOTE, ensure_demo
    card = cand.card
    if card.demo:  # generated on first use (a no-op when already there with these parameters)
        card = ensure_demo(home, card.name, seed=opts["demo_seed"], scale=opts["demo_scale"])
    task = request.model.task
    cats = [c for c in card.categories if c in set(cand.match.categories)]
    notes = list(cand.notes)
    negatives: list[str] = []
    if task == "classification" and len(cats) == 1:  # one class cannot be classified: add negatives
        rest = [c for c in card.categories if c not in cats]
        if len(rest) <= MAX_NAMED_NEGATIVES:
            cats = list(card.categories)
            notes.append(f"classification needs two or more classes: kept {', '.join(rest)} of {card.name} "
                         "as negative classes")
        else:
            negatives = rest
    out = subset_dir(ctx, home, card, task, cats + negatives, opts["seed"], opts["val_fraction"])
    sub = write_plan_subset(card, task, cats, out, opts["seed"], opts["val_fraction"], negatives)
    notes += list(sub["notes"])
    matches, unmatched = list(cand.match.matches), list(cand.match.unmatched)
    kept = set(sub["classes"])
    lost = [m for m in matches if not kept & set(m.categories)]
    if lost:  # matched only categories that had no training examples
        unmatched += [m.request_object for m in lost]
        matches = [m for m in matches if m not in lost]
        notes.append(f"{', '.join(m.request_object for m in lost)}: matched categories have no training data")
    if card.demo:
        notes.insert(0, DEMO_NOTE)
    for m in matches:
        notes.append(f"{m.request_object!r} -> {', '.join(m.categories)} ({m.reason}, score {m.score:.2f})")
    coverage = len(matches) / max(1, len(matches) + len(unmatched))
    score = cand.score * coverage / max(cand.match.coverage, 1e-9)  # lower it when objects were lost above
    return DataPlan(source=PLUGIN_NAME, datasets=[card.name], task=task, format=sub["format"], root=out.resolve(),
                    classes=sub["classes"], files=sub["files"], matches=matches, unmatched=unmatched,
                    train_counts=sub["train_counts"], val_counts=sub["val_counts"], metainfo=sub["metainfo"],
                    score=max(0.0, min(1.0, round(score, 4))), notes=notes)


def select_data(request: Request, ctx: Any) -> list[DataPlan] | None:
    """Plans for ``request`` (best first), or None with the reason recorded through ``ctx.decline``."""
    from .pool import all_cards
    settings = settings_of(ctx)
    home = settings.home_dir
    opts = _options(ctx, settings)
    cands, why = rank(request, all_cards(home), use_embedding=opts["use_embedding"], use_demo=opts["use_demo"])
    if not cands:
        task = request.model.task
        objs = ", ".join(map(repr, request.data.object)) or "(none named)"
        reason = f"no dataset in the pool serves {task} of {objs}"
        if why:
            reason += ": " + "; ".join(why)
        from . import embed
        if opts["use_embedding"] and not embed.available():
            reason += " (text-embedding matching is off: pip install 'autommlab-datapool[embed]')"
        if ctx is not None:
            return ctx.decline(PLUGIN_NAME, reason)
        return None
    plans = []
    for cand in cands[:opts["max_plans"]]:
        plan = make_plan(request, cand, ctx, home, opts)
        if plan.unmatched and ctx is not None:
            ctx.log(f"datapool: {plan.datasets[0]}: nothing matches {', '.join(map(repr, plan.unmatched))}")
        plans.append(plan)
    plans.sort(key=lambda p: -p.score)
    return plans
