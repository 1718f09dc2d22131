"""Rank model candidates against the request's named model, params, FLOPs, speed and weight availability.

Every candidate gets ``score``, ``violations`` (hard limits it breaks) and
``reasons`` (a readable explanation of where it was ranked and why). Among
candidates equal on limits and named model, those whose zoo weights are
available (cached on disk or fetchable) come first: fine-tuning them beats
training from scratch by far.
"""

from __future__ import annotations

import math
import re

from .schemas import PRIMARY_METRIC, ModelCandidate, NormalizedRequest


def _norm(name: str) -> str:
    return re.sub(r"[\s\-_]+", "", name).lower()


def matches_named_model(candidate: ModelCandidate, wanted: str) -> bool:
    """True when the request's named model (e.g. "MobileNet", "Faster R-CNN") names this candidate's family."""
    w = _norm(wanted)
    return bool(w) and (w in _norm(candidate.family) or w in _norm(candidate.name)
                        or (_norm(candidate.family) != "" and _norm(candidate.family) in w))


#: ModelCandidate.weights_status values that mean training can start from the zoo weights
AVAILABLE = ("cached", "fetchable")


def weights_available(c: ModelCandidate) -> bool:
    return c.weights_local is not None or c.weights_status in AVAILABLE


def _weights_reason(c: ModelCandidate) -> str:
    note = f" ({c.weights_note})" if c.weights_note else ""
    if c.weights_local is not None or c.weights_status == "cached":
        return f"zoo weights on disk{note}: fine-tuned from them"
    if c.weights_status == "fetchable":
        return f"zoo weights fetchable{note}: downloaded once, then fine-tuned"
    if c.weights_status == "offline":
        return "zoo weights not on disk and offline = true: trained from scratch"
    if c.weights_status == "unreachable":
        return f"zoo weights not reachable{note}: trained from scratch"
    return "no zoo weights: trained from scratch"


def _fmt(x: float | None, unit: str) -> str:
    return "unknown" if x is None else f"{x:.3g} {unit}"


def rank_candidates(candidates: list[ModelCandidate], req: NormalizedRequest) -> tuple[list[ModelCandidate], list[str]]:
    """Return candidates best first (copies with score/reasons/violations) and notes about the whole ranking."""
    notes: list[str] = []
    ranked: list[tuple[tuple, ModelCandidate]] = []
    named = req.specific_model
    any_named = bool(named) and any(matches_named_model(c, named) for c in candidates)
    if named and not any_named:
        notes.append(f"no installed zoo model matches the named model {named!r}; ranking all {req.task} models")
    wants_speed = req.min_fps is not None or req.device == "cpu"
    primary = PRIMARY_METRIC[req.task]
    for cand in candidates:
        c = cand.model_copy(deep=True)
        reasons: list[str] = []
        violations: list[str] = []
        if req.max_params_m is not None:
            if c.params_m is None:
                reasons.append(f"params unknown: limit {req.max_params_m:g} M not checked")
            elif c.params_m > req.max_params_m:
                violations.append(f"params {c.params_m:.3g} M > limit {req.max_params_m:g} M")
            else:
                reasons.append(f"params {c.params_m:.3g} M <= {req.max_params_m:g} M")
        if req.max_flops_g is not None:
            if c.flops_g is None:
                reasons.append(f"FLOPs unknown: limit {req.max_flops_g:g} G not checked")
            elif c.flops_g > req.max_flops_g:
                violations.append(f"FLOPs {c.flops_g:.3g} G > limit {req.max_flops_g:g} G")
            else:
                reasons.append(f"FLOPs {c.flops_g:.3g} G <= {req.max_flops_g:g} G")
        if req.min_fps is not None:
            if c.latency_ms is not None:
                fps = 1000.0 / c.latency_ms if c.latency_ms > 0 else math.inf
                if fps < req.min_fps:
                    violations.append(f"measured {fps:.1f} fps on {c.latency_device} < {req.min_fps:g} fps")
                else:
                    reasons.append(f"measured {fps:.1f} fps on {c.latency_device} >= {req.min_fps:g} fps")
            else:
                reasons.append(f"speed not measured yet (checked at deploy); FLOPs {_fmt(c.flops_g, 'G')} used as proxy")
        is_named = bool(named) and matches_named_model(c, named)
        if named:
            reasons.append(f"{'is' if is_named else 'is not'} the named model {named!r}")
        metric = c.reported_metrics.get(primary)
        quality = metric if metric is not None else 0.0
        reasons.append(f"zoo {primary} {metric:.3g} on {c.source_dataset or 'its source dataset'}" if metric is not None
                       else f"no reported {primary} in the zoo")
        # Small models win ties when speed matters or training runs on CPU: a 0.05
        # penalty per decade of GFLOPs, enough to prefer mobile models among peers.
        cost = 0.05 * math.log10(1 + c.flops_g) if (wants_speed and c.flops_g is not None) else 0.0
        reasons.append(_weights_reason(c))
        c.score = round(quality - cost, 4)
        c.violations = violations
        c.reasons = reasons
        key = (len(violations), 0 if (is_named or not any_named) else 1, 0 if weights_available(c) else 1, -c.score,
               c.params_m or math.inf, c.name)
        ranked.append((key, c))
    ranked.sort(key=lambda kc: kc[0])
    out = [c for _, c in ranked]
    for i, c in enumerate(out, 1):
        c.reasons.insert(0, f"rank {i}/{len(out)}: {'violates ' + '; '.join(c.violations) if c.violations else 'meets the stated limits'}")
    if out and out[0].violations:
        notes.append("no candidate meets every stated limit; the least violating one is used")
    return out, notes
