"""The ``openmmlab`` plugin: the ``autommlab models`` commands shared by the codebase plugins (light)."""

from __future__ import annotations

from autommlab.hookspecs import hookimpl


@hookimpl
def autommlab_register_commands(cli):
    from .commands import models

    cli.add_command(models)


@hookimpl
def autommlab_plugin_info():
    return {"description": "OpenMMLab base: `autommlab models` (zoo, complexity cache, CPU bench)",
            "requires": ["mmengine"]}


@hookimpl
def autommlab_report_parts(record, result, ctx):
    """Loss and val-metric curves of the run's trials (from their metrics.json)."""
    from .curves import report_parts

    return report_parts(result.trials)
