"""The error an LLM stage raises when a model's answer does not complete or validate."""

from __future__ import annotations

from autommlab.errors import AutoMMLabError


class GenerationError(AutoMMLabError):
    """The model's output did not complete or did not validate (local decoding or an endpoint's answer)."""

    exit_code = 1
