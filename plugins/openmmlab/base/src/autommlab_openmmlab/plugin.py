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
