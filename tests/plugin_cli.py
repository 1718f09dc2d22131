"""A bare click group holding one plugin's commands, registered exactly as the core CLI registers them."""

from __future__ import annotations

import click


def plugin_group(plugin_module) -> click.Group:
    """In: a plugin module with ``autommlab_register_commands``. Out: a click group with its commands only."""

    @click.group()
    def cli() -> None:
        pass

    plugin_module.autommlab_register_commands(cli)
    return cli
