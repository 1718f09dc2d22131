"""Errors the user sees; each maps to a CLI exit code (see ``cli.py``)."""

from __future__ import annotations


class AutoMMLabError(Exception):
    """Base class; the message is shown to the user as is."""

    exit_code = 1


class UsageError(AutoMMLabError):
    """Bad command-line input or configuration (names the field, file or value)."""

    exit_code = 2


class RequestError(AutoMMLabError):
    """The request text cannot be served: empty, contradictory, unsupported task, number without unit."""

    exit_code = 2


class DataError(AutoMMLabError):
    """A dataset, annotation or image is missing or malformed (names the file and item)."""

    exit_code = 1


class StageUnavailable(AutoMMLabError):
    """No installed plugin could serve a stage; the message lists every plugin's reason."""

    exit_code = 1


class RunFailed(AutoMMLabError):
    """A run stopped before finishing; what was done is kept in the run directory."""

    exit_code = 1


#: exit code of a run that finished but missed a stated requirement
EXIT_REQUIREMENT_MISSED = 3
