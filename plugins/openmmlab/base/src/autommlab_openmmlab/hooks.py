"""The hook functions every codebase plugin exposes, bound to its ``CodebaseSpec``.

A codebase plugin module does::

    autommlab_select_model, autommlab_train, autommlab_plugin_info = codebase_hooks(
        CODEBASE, "classification: mmpretrain zoo + mmengine training", ["torch", "mmpretrain"])

so the module stays light (mm* is imported inside the hooks) and the wiring lives once.
"""

from __future__ import annotations

from autommlab.hookspecs import hookimpl

from .spec import CodebaseSpec


def codebase_hooks(spec: CodebaseSpec, description: str, requires: list[str]):
    """Return the (select_model, train, plugin_info) hook implementations for ``spec``."""

    @hookimpl
    def autommlab_select_model(request, data, ctx):
        from .selection import select_model

        return select_model(spec, request, data, ctx)

    @hookimpl
    def autommlab_train(job, ctx):
        from .train import train

        return train(spec, job, ctx)

    @hookimpl
    def autommlab_plugin_info():
        return {"description": description, "requires": list(requires)}

    return autommlab_select_model, autommlab_train, autommlab_plugin_info
