"""Matching request objects to dataset categories: reasons, scores, unmatched objects."""

import pytest

from autommlab_datapool.match import match_objects

COCOISH = ["person", "car", "bus", "truck", "bicycle", "dog", "cat", "traffic light"]


@pytest.mark.parametrize("obj, cats, expected, reason", [
    ("person", COCOISH, ["person"], "exact"),
    ("Traffic_Light", COCOISH, ["traffic light"], "exact"),
    ("people", COCOISH, ["person"], "plural"),
    ("buses", COCOISH, ["bus"], "plural"),
    ("bus", COCOISH, ["bus"], "exact"),
    ("pedestrians", COCOISH, ["person"], "synonym"),
    ("people", ["pedestrian"], ["pedestrian"], "synonym"),
    ("pedestrians", ["pedestrian"], ["pedestrian"], "plural"),
    ("ants", ["ants", "bees"], ["ants"], "exact"),
    ("ant", ["ants", "bees"], ["ants"], "plural"),
    ("automobiles", COCOISH, ["car"], "synonym"),
    ("vehicles", COCOISH, ["car", "bus", "truck", "bicycle"], "hypernym"),
    ("insects", ["ants", "bees"], ["ants", "bees"], "hypernym"),
    ("circles", ["circle", "square", "star", "triangle"], ["circle"], "plural"),
    ("shapes", ["circle", "square", "star", "triangle"], ["circle", "square", "star", "triangle"], "hypernym"),
    ("trianlges", ["circle", "square", "star", "triangle"], ["triangle"], "fuzzy"),
])
def test_levels(obj, cats, expected, reason):
    res = match_objects([obj], cats, use_embedding=False)
    assert res.unmatched == []
    (m,) = res.matches
    assert (m.categories, m.reason) == (expected, reason)
    assert 0 < m.score <= 1


def test_scores_order_levels():
    cats = ["person", "car", "bus", "truck"]
    s = {o: match_objects([o], cats, use_embedding=False).matches[0].score
         for o in ("person", "people", "pedestrians", "vehicles")}
    assert s["person"] > s["people"] > s["pedestrians"] > s["vehicles"]


def test_unmatched_named_in_note():
    res = match_objects(["cars", "unicorns", "dragons"], ["car", "person"], use_embedding=False)
    assert [m.request_object for m in res.matches] == ["cars"]
    assert res.unmatched == ["unicorns", "dragons"]
    assert "'unicorns'" in res.notes[0] and "'dragons'" in res.notes[0]
    assert res.coverage == pytest.approx(1 / 3)


def test_no_false_friends():
    res = match_objects(["bees"], ["circle", "square", "star", "triangle"], use_embedding=False)
    assert res.matches == [] and res.unmatched == ["bees"]


def test_head_word_and_lists():
    cats = ["circle", "square", "star", "triangle", "car"]
    res = match_objects(["circle shapes", "sports cars", "stars or squares"], cats, use_embedding=False)
    got = [(m.request_object, m.categories, m.reason) for m in res.matches]
    assert got == [("circle shapes", ["circle"], "head word"), ("sports cars", ["car"], "head word"),
                   ("stars", ["star"], "plural"), ("squares", ["square"], "plural")]
    assert match_objects(["bandana"], ["band", "bread"], use_embedding=False).unmatched == ["bandana"]
