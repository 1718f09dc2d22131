"""AutoMMLab data pool: registered datasets, category matching, subsets in trainer formats.

The entry point ``autommlab_datapool.plugin`` is light (no numpy/PIL at import);
everything else is imported by the hooks and commands that need it.
"""

__version__ = "0.1.0"
PLUGIN_NAME = "datapool"
