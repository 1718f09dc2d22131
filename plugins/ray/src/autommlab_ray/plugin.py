"""The ``ray`` plugin: serves ``executor = "ray"`` (light: ray is imported only when the executor is built)."""

from __future__ import annotations

import importlib.util

from autommlab import hookimpl

NAME = "ray"


@hookimpl
def autommlab_executor(name, ctx):
    if name != NAME:
        return None
    if importlib.util.find_spec("ray") is None:
        return ctx.decline(NAME, "ray is not installed (pip install autommlab-ray)")
    from .executor import RayExecutor

    return RayExecutor.from_context(ctx)


@hookimpl
def autommlab_plugin_info():
    return {"description": "executor = \"ray\": trials as Ray tasks (local or multi-node cluster), "
                           "CPU/GPU per trial, retried when a worker dies", "requires": ["ray"]}
