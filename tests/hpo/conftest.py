"""Fixtures of the HPO tests (builders live in hpo_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autommlab.hpo.store import TrialStore, make_record
from hpo_helpers import data_plan, model_candidate, request, response, trial


@pytest.fixture
def synthetic_table(tmp_path) -> Path:
    """A replay table of 12 grid configs answered by ``response`` (synthetic: tests the replay mechanics)."""
    from autommlab.hpo.grid import default_grid
    m, d = model_candidate(), data_plan()
    out = tmp_path / "table.jsonl"
    store = TrialStore(out)
    for i, hp in enumerate(default_grid(m, d, "cpu", 0.02), 1):
        store.append(make_record("grid-test", request(), d, m, trial(i, hp, response(hp)), budget_scale=0.02))
    return out
