"""FAKE parse / select-data / select-model / train plugin for testing `hpo grid` collection mechanics.

Its train hook answers with ``hpo_helpers.response`` (a synthetic surface); it is
never used outside tests.
"""

from __future__ import annotations

from autommlab import hookimpl
from hpo_helpers import data_plan, model_candidate, request, response, trial

CALLS: list = []


@hookimpl
def autommlab_parse(text, ctx):
    return request()


@hookimpl
def autommlab_select_data(request, ctx):
    return [data_plan()]


@hookimpl
def autommlab_select_model(request, data, ctx):
    return [model_candidate()]


@hookimpl
def autommlab_train(job, ctx):
    CALLS.append(job)
    return trial(job.index, job.hparams, response(job.hparams))
