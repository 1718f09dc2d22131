"""Latency measurement shared by every backend: p50/p90/mean after warm-up, batch 1."""

from __future__ import annotations

import time
from typing import Callable

import numpy as np

from autommlab import faults
from autommlab.schemas import Latency


def measure(run_once: Callable[[], object], runs: int, warmup: int, input_size: list[int],
            threads: int | None = None, sync: Callable[[], None] | None = None,
            samples_out: list[float] | None = None) -> Latency:
    """Time ``run_once()`` ``runs`` times after ``warmup`` untimed calls.

    :param run_once: one inference on a fixed, already prepared batch-1 input
        (preprocessing is excluded; for a GPU backend it must include copying
        the result back, or pass ``sync``).
    :param input_size: [h, w] of that input, recorded with the numbers.
    :param sync: called after each run before the clock stops (e.g. ``torch.cuda.synchronize``).
    :param samples_out: when given, every timed run's milliseconds are appended to it (for a distribution plot).
    :return: ``Latency`` in milliseconds; throughput is 1000 / mean (batch 1, sequential).
    """
    if runs < 1:
        raise ValueError(f"latency runs must be >= 1, got {runs}")
    for _ in range(warmup):
        run_once()
    if sync:
        sync()
    times = np.empty(runs, dtype=np.float64)
    for i in range(runs):
        t0 = time.perf_counter()
        run_once()
        if sync:
            sync()
        times[i] = (time.perf_counter() - t0) * 1000.0
        faults.point("deploy:latency")
    if samples_out is not None:
        samples_out.extend(round(float(t), 4) for t in times)
    mean = float(times.mean())
    return Latency(
        p50_ms=round(float(np.percentile(times, 50)), 4),
        p90_ms=round(float(np.percentile(times, 90)), 4),
        mean_ms=round(mean, 4),
        throughput_fps=round(1000.0 / mean, 3) if mean > 0 else 0.0,
        runs=runs,
        warmup=warmup,
        batch_size=1,
        input_size=[int(x) for x in input_size],
        threads=threads,
    )


def speed_met(latency: Latency, min_fps: float | None) -> bool | None:
    """Whether the measured speed meets the request (None: the request stated none).

    The request's fps is compared with 1000 / p50: a single image must come
    back within the stated time in the typical case.
    """
    if min_fps is None:
        return None
    return 1000.0 / latency.p50_ms >= min_fps if latency.p50_ms > 0 else True
