"""Fault injection for the fault-tolerance tests: kill the process at a named point.

``point(name)`` does nothing unless the environment variable
``AUTOMMLAB_FAULT_AT`` names that point. Then the process sends itself
SIGKILL (no cleanup, no ``finally``, no atexit: the same as ``kill -9`` or a
power cut) the ``nth`` time the point is reached in this process:

    AUTOMMLAB_FAULT_AT=write:trial.json        # the first time trial.json is about to be renamed into place
    AUTOMMLAB_FAULT_AT=train:iter:20           # at the 20th training iteration

The tests in ``tests/faults/`` run the real CLI as a subprocess with this
variable set, then ``autommlab run --resume`` the run directory and check that
nothing finished was lost or redone. Points in the code base (grep ``point(``):

- ``write:<file name>``  in ``rundir.atomic_write_text``, after the temp file is
  written and synced, before the rename (``run.json``, ``request.json``,
  ``data.json``, ``model.json``, ``hparams.json``, ``trial.json``,
  ``deployment.json``, ``report.md``)
- ``start:<stage>`` / ``done:<stage>``  right after ``run.json`` records that a stage started / finished
- ``parse``  after the parse stage's plugin answered, before ``request.json`` is written
- ``store:append``  before a trial is appended to the trial record (``hpo/store.py``)
- ``datapool:link``  after each image linked into a subset (``autommlab_datapool``)
- ``train:iter``  after each training iteration (``autommlab_openmmlab.train``)
- ``deploy:export`` / ``deploy:exported``  before / after the ONNX export (``autommlab_deploy_ort``)
- ``deploy:latency``  after each timed latency run
- ``report``  before the report is rendered

Cheap when unset: one dictionary lookup per call.
"""

from __future__ import annotations

import os
import signal

ENV = "AUTOMMLAB_FAULT_AT"

_hits: dict[str, int] = {}


def parse_spec(spec: str) -> tuple[str, int]:
    """``"name"`` -> (name, 1); ``"name:nth"`` (nth a positive integer) -> (name, nth).

    Names may contain colons themselves (``write:trial.json``); only a last
    part made of digits is read as ``nth``.
    """
    name, sep, last = spec.strip().rpartition(":")
    if sep and last.isdigit() and int(last) >= 1 and name:
        return name, int(last)
    return spec.strip(), 1


def point(name: str) -> None:
    """Kill this process with SIGKILL when ``$AUTOMMLAB_FAULT_AT`` names ``name`` (at its nth hit)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    want, nth = parse_spec(spec)
    if want != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= nth:
        os.kill(os.getpid(), signal.SIGKILL)
