"""Hook implementations of ``report_html`` (light: matplotlib is imported inside the hook)."""

from __future__ import annotations

from typing import Any

from autommlab.hookspecs import hookimpl


@hookimpl
def autommlab_plugin_info() -> dict[str, Any]:
    return {"description": "report.html beside report.md: one self-contained page with plots (matplotlib) and "
                           "the deployed model's drawn predictions", "requires": ["matplotlib"]}


@hookimpl
def autommlab_render_report(record, result, parts, ctx):
    from .render import write_html

    return [write_html(record, result, parts)]
