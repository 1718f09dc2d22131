"""Fine-tuning from a weight file: read its tensors safely, then check what mmengine's ``load_from`` loaded.

In: the ``weights.Resolved`` file and the codebase adapter (its ``HEAD_PREFIXES``:
the class- or keypoint-count dependent layers). Out: an mmengine hook that,
right after the Runner loaded ``load_from`` (mmengine loads with
``strict=False``, so tensors whose shape differs are skipped, never a crash),
compares the model with the checkpoint and writes ``weights_check.json``:
tensors loaded (equal to the file's), dropped for another shape (the head,
re-initialised for this dataset's classes or keypoints), missing, unused.
``notes()`` says the same for the Trial.

Checkpoints are read with ``torch.load(weights_only=True)``; only a file the
user placed (``weights_dir``, torch's hub cache) or one whose sha256 matched
its zoo name may be unpickled in full (mmengine checkpoints keep objects in
``meta``), and ``needs_trust`` then tells the trainer to allow it for the Runner too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: tensors that must load for the start to count as fine-tuning (else the file does not fit the model)
MIN_LOADED_SHARE = 0.5


def _shape(t) -> list[int]:
    return list(getattr(t, "shape", []))


def read_tensors(resolved) -> tuple[dict[str, Any], bool]:
    """``(name -> tensor, needs_trust)`` of a checkpoint (``state_dict`` inside or the file itself)."""
    import pickle

    import torch

    trusted = resolved.source in ("weights_dir", "torch hub cache") or resolved.verified is True
    try:
        obj, needs_trust = torch.load(resolved.path, map_location="cpu", weights_only=True), False
    except (pickle.UnpicklingError, RuntimeError, AttributeError) as e:
        if not trusted:
            from autommlab.errors import RunFailed

            raise RunFailed(f"{resolved.path} (from {resolved.url}) holds more than tensors and its name carries no "
                            f"sha256 to verify it, so it is not unpickled: {str(e).splitlines()[0]}") from e
        obj, needs_trust = torch.load(resolved.path, map_location="cpu", weights_only=False), True
    state = obj.get("state_dict", obj) if isinstance(obj, dict) else {}
    out = {}
    for k, v in state.items():
        if torch.is_tensor(v):
            out[k[len("module."):] if k.startswith("module.") else k] = v
    return out, needs_trust


def compare(model_state: dict[str, Any], ckpt: dict[str, Any]) -> dict[str, Any]:
    """What of ``ckpt`` is now in ``model_state``: loaded (equal), dropped (other shape), differs, missing, unused."""
    import torch

    loaded, differs, dropped, missing = [], [], [], []
    for k, v in model_state.items():
        c = ckpt.get(k)
        if c is None:
            missing.append(k)
        elif _shape(c) != _shape(v):
            dropped.append({"key": k, "checkpoint": _shape(c), "model": _shape(v)})
        elif torch.equal(c.to(v.dtype), v.detach().cpu()):
            loaded.append(k)
        else:
            differs.append(k)
    unused = [k for k in ckpt if k not in model_state]
    return {"model_tensors": len(model_state), "loaded": loaded, "dropped": dropped, "differs": differs,
            "missing": missing, "unused": unused}


def make_check(resolved, adapter, work: Path):
    """The mmengine hook checking the start weights (see the module docstring); ``.needs_trust`` and ``.notes()``."""
    from mmengine.hooks import Hook
    from mmengine.model import is_model_wrapper

    tensors, needs_trust = read_tensors(resolved)
    heads = tuple(getattr(adapter, "HEAD_PREFIXES", ()))

    class WeightsCheck(Hook):
        priority = "HIGH"  # before the Recorder's baseline validation and any training step

        def __init__(self) -> None:
            self.needs_trust = needs_trust
            self.result: dict[str, Any] | None = None
            self._ckpt = tensors

        def before_train(self, runner) -> None:
            model = runner.model.module if is_model_wrapper(runner.model) else runner.model
            self.result = compare(model.state_dict(), self._ckpt)
            self._ckpt = {}  # the copy is not kept through training
            r = self.result
            r.update(path=str(resolved.path), url=resolved.url, source=resolved.source, sha256=resolved.sha256,
                     expected_prefix=resolved.expected, verified=resolved.verified)
            (work / "weights_check.json").write_text(json.dumps(r, indent=1))

        def notes(self) -> list[str]:
            if self.result is None:
                return ["start weights were not checked (training did not start)"]
            r = self.result
            n, total = len(r["loaded"]), r["model_tensors"]
            out = [f"fine-tuned: {n} of {total} model tensors loaded from {resolved.path.name} (weights_check.json)"]
            head = [d for d in r["dropped"] if d["key"].startswith(heads)]
            other = [d for d in r["dropped"] if not d["key"].startswith(heads)]
            if head:
                out.append("re-initialised for this dataset (other shape in the checkpoint, dropped): "
                           + ", ".join(f"{d['key']} {d['checkpoint']} -> {d['model']}" for d in head[:6])
                           + (f" and {len(head) - 6} more" if len(head) > 6 else ""))
            if other:
                out.append(f"{len(other)} tensors outside the head have other shapes in the checkpoint and were "
                           f"dropped: " + ", ".join(d["key"] for d in other[:4]) + (" ..." if len(other) > 4 else ""))
            if r["missing"]:
                out.append(f"{len(r['missing'])} model tensors are not in the checkpoint (kept their initialisation)")
            if r["differs"]:
                out.append(f"{len(r['differs'])} tensors of equal shape differ from the checkpoint after loading")
            if total and n / total < MIN_LOADED_SHARE:
                out.append(f"WARNING: only {n}/{total} tensors came from the checkpoint: it does not fit this model, "
                           f"so this trial is close to training from scratch")
            return out

    return WeightsCheck()
