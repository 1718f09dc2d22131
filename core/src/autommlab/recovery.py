"""Catch up after a kill between a trial's ``trial.json`` and the records that follow it.

A trial is finished once its ``trial.json`` is in place (written atomically).
Two records follow it and a ``kill -9`` can land before either: the trial
list in ``run.json`` and the line in the trial record (``hpo/store.py``).
``reconcile_trials`` runs when the HPO stage (re)starts and adds what is
missing, so a resumed run ends with the same records as one never
interrupted: every finished trial listed once, none rerun.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .hpo.store import TrialStore, make_record
from .rundir import RunDir
from .schemas import DataPlan, ModelCandidate, Request, Trial


def reconcile_trials(run: RunDir, trials: Sequence[Trial], store: TrialStore, request: Request, data: DataPlan,
                     models: Sequence[ModelCandidate], budget_scale: float,
                     log: Callable[[str], None] = lambda msg: None) -> list[int]:
    """Add the trials on disk that ``run.json`` or the trial record lack; returns the indices added to either.

    In: the run, its trials as loaded from ``trials/*/trial.json``, the trial
    store, and the request/data/models the records summarise. A trial whose
    model is no longer among ``models`` is listed in ``run.json`` but not
    recorded (its summary cannot be rebuilt).
    """
    added: list[int] = []
    listed = set(run.record.trials)
    missing = [t.index for t in trials if t.index not in listed]
    if missing:
        run.record.trials = sorted(listed | set(missing))
        run.save()
        log(f"run.json: added finished trial(s) {missing} found on disk (interrupted before they were listed)")
        added += missing
    by_name = {m.name: m for m in models}
    recorded = store.indices(run.record.run_id)
    for t in trials:
        model = by_name.get(t.model)
        if t.index in recorded or model is None:
            continue
        store.append(make_record(run.record.run_id, request, data, model, t, budget_scale=budget_scale), once=True)
        log(f"trial record: added trial {t.index} (interrupted before it was recorded)")
        if t.index not in added:
            added.append(t.index)
    return added
