"""AutoMMLab: plain-language request -> trained, deployed computer-vision model.

The plugin contract lives in ``autommlab.hookspecs`` (hooks) and
``autommlab.schemas`` (the data passed between stages).
"""

from .hookspecs import hookimpl

__all__ = ["hookimpl"]
__version__ = "0.1.0"
