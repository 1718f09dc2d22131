"""Hook implementations of ``webui`` (light: FastAPI and uvicorn are imported by the command only)."""

from __future__ import annotations

from typing import Any

from autommlab.hookspecs import hookimpl


@hookimpl
def autommlab_plugin_info() -> dict[str, Any]:
    return {"description": "`autommlab serve`: local web UI (request -> parse check -> live run -> reports -> "
                           "try the deployed model)", "requires": ["fastapi", "uvicorn"]}


@hookimpl
def autommlab_register_commands(cli) -> None:
    from .command import serve

    if "serve" not in getattr(cli, "commands", {}):
        cli.add_command(serve)
