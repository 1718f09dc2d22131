"""``autommlab serve [--host 127.0.0.1] [--port 8765]``: start the local web UI."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default only accepts connections from this machine.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Local web UI: type a request, check its parse, follow the run live, browse reports, try the model."""
    import uvicorn

    from autommlab.config import load_config
    from autommlab.plugins import PluginManager

    from .app import create_app

    config_path = (ctx.find_root().obj or {}).get("config_path")
    settings = load_config(config_path).settings
    pm = PluginManager(stages=settings.stages, disabled=settings.disabled_plugins, modules=settings.plugin_modules)
    app = create_app(settings, pm)
    if not _is_loopback(host):
        click.echo(f"warning: binding {host}: anyone who can reach this address can start trainings and read runs",
                   err=True)
    click.echo(f"AutoMMLab web UI on http://{host}:{port}/  (runs in {Path(settings.run_dir).resolve()})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
