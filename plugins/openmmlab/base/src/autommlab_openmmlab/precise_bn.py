"""Recompute BatchNorm running statistics from training batches ("precise BN").

Why: in short from-scratch trials the weights move faster than BN's running
averages (momentum 0.1) can follow, so the model evaluated in eval mode is
wrong even when it is right in train mode (measured: MobileNetV2 on an easy
3-colour set, 60 iterations: 35% eval-mode vs 100% train-mode accuracy).
Re-estimating the statistics with the final weights before each validation
fixes that without changing any weight.
"""

from __future__ import annotations

from typing import Any


def recompute_bn_stats(model: Any, dataset: Any, collate_fn: Any, batch_size: int, num_batches: int,
                       seed: int = 0) -> int:
    """Reset every BN layer's running mean/var and re-estimate them on ``num_batches`` training batches.

    Uses its own single-process DataLoader so the training loop's iterator is
    untouched. Returns the number of batches used (0 when the model has no BN).
    """
    import torch
    from torch.nn.modules.batchnorm import _BatchNorm

    bns = [m for m in model.modules() if isinstance(m, _BatchNorm) and m.track_running_stats]
    if not bns or num_batches <= 0:
        return 0
    gen = torch.Generator().manual_seed(seed)
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True, collate_fn=collate_fn,
                                         num_workers=0, generator=gen, drop_last=len(dataset) > batch_size)
    momenta = [m.momentum for m in bns]
    was_training = model.training
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the batches below
    model.train()
    used = 0
    try:
        with torch.no_grad():
            for batch in loader:
                data = model.data_preprocessor(batch, True)
                model(data["inputs"], data.get("data_samples"), mode="tensor")
                used += 1
                if used >= num_batches:
                    break
    finally:
        for m, mom in zip(bns, momenta):
            m.momentum = mom
        model.train(was_training)
    return used
