"""Did the trained model learn anything? Its primary metric against what a model that learned nothing scores.

In: the task, the measured metrics (canonical names, fractions) and the
DataPlan (class counts). Out: a ``RequirementCheck`` that every run must meet,
stated or not: a model at or near chance is never a success (exit code 3).

Chance levels:
- accuracy: the share of the largest class in val (a constant guess; 1/C when
  counts are unknown); "near" = within two binomial standard errors of it
  (at least 0.02), since a small val set scatters a guessing model that much.
- AP (detection, keypoints): a model that learned nothing scores ~0; near = below 0.02.
- mIoU: predicting one class everywhere scores pixel accuracy / C; near =
  within 0.02 of that (0.02 above 0 when pixel accuracy was not measured).
"""

from __future__ import annotations

import math

from .results import RequirementCheck
from .schemas import PRIMARY_METRIC, DataPlan

LABEL = "model is usable"
MARGIN = 0.02


def chance_level(task: str, metrics: dict[str, float], data: DataPlan | None) -> tuple[float, str]:
    """``(threshold, how it was found)``: the primary metric must be above ``threshold``."""
    if task == "classification":
        counts = dict(data.val_counts) if data is not None else {}
        n = sum(counts.values())
        ncls = len(data.classes) if data is not None else 0
        if n > 0:
            p = max(counts.values()) / n
            margin = max(MARGIN, 2 * math.sqrt(p * (1 - p) / n))
            return p + margin, (f"chance {p:.4f} (largest class share of {n} val images) + {margin:.4f} "
                                f"(2 standard errors)")
        p = 1 / ncls if ncls else 0.0
        return p + MARGIN, f"chance {p:.4f} (1/{ncls} classes) + {MARGIN}"
    if task == "segmentation":
        ncls = len(data.classes) if data is not None else 0
        pa = metrics.get("pixel_accuracy")
        if pa is not None and ncls:
            p = pa / ncls
            return p + MARGIN, f"{p:.4f} (one class everywhere: pixel accuracy {pa:.4f} / {ncls} classes) + {MARGIN}"
        return MARGIN, f"{MARGIN} (pixel accuracy not measured)"
    return MARGIN, f"{MARGIN} (a model that learned nothing scores ~0)"


def chance_check(task: str, metrics: dict[str, float], data: DataPlan | None, where: str) -> RequirementCheck | None:
    """The check for the primary metric of ``task`` in ``metrics`` (None when it was not measured)."""
    name = PRIMARY_METRIC[task]
    if name not in metrics:
        return None
    value = metrics[name]
    threshold, how = chance_level(task, metrics, data)
    ok = value > threshold
    verdict = "above" if ok else "at or near chance: the model learned nothing measurable, it is not usable;"
    return RequirementCheck(f"{LABEL} ({name} above chance level)",
                            f"{name} {value:.4f} ({where}) {verdict} threshold {threshold:.4f} = {how}", ok)


def not_usable(checks: list[RequirementCheck]) -> RequirementCheck | None:
    """The failed chance check among ``checks``, if any."""
    return next((c for c in checks if c.requirement.startswith(LABEL) and not c.met), None)
