"""Plugins written the way a third party would: only ``autommlab.hookimpl``, ``autommlab.schemas`` and the ``ctx``."""
