"""Shared base of the AutoMMLab OpenMMLab codebase plugins.

Light on import: nothing here imports torch or any mm* package; the modules
that do (``build``, ``train``, ``complexity``) are imported inside hooks.
"""

from .spec import CodebaseSpec

__all__ = ["CodebaseSpec", "build_config"]


def build_config(job, input_size=None):
    """Build the complete mmengine ``Config`` for a ``TrainJob`` (see ``build.build_config``)."""
    from .build import build_config as _build

    return _build(job, input_size=input_size)
