"""LAMP scoring: per-key rules and the four accuracy levels (SCHEMA.md)."""

import copy

import pytest
from autommlab.parsing.lamp import KEYS, compare, normalize_object, score, singular

GOLD = {
    "data": {"object": ["traffic light", "bus"], "modality": "rgb", "specific": []},
    "model": {"task": "detection", "specific_model": "Faster R-CNN",
              "speed": {"value": 30, "unit": "fps"}, "flops": {"value": 0, "unit": "none"},
              "parameters": {"value": 5, "unit": "M"},
              "metrics": [{"name": "AP", "value": 0.5}, {"name": "recall", "value": 0.9}]},
    "deploy": {"gpu": "gpu", "inference engine": "tensorrt"},
}


def edit(**changes):
    d = copy.deepcopy(GOLD)
    for path, value in changes.items():
        node = d
        *head, last = path.split("__")
        for h in head:
            node = node[h]
        node[last.replace("_", " ") if last == "inference_engine" else last] = value
    return d


def test_identical_is_all_correct():
    assert all(compare(GOLD, GOLD).values())
    r = score([GOLD], [GOLD])
    assert (r.item_level, r.list_level, r.key_level, r.request_level) == (1, 1, 1, 1)


def test_unparsed_and_invalid_are_wrong_on_every_key():
    bad = edit(model__task="tracking")  # not a valid task
    for pred in (None, bad, {"nonsense": 1}):
        assert not any(compare(GOLD, pred).values())
    r = score([GOLD, GOLD], [None, GOLD])
    assert r.unparsed == 1 and r.request_level == 0.5 and r.key_level == 0.5
    assert r.wrong_per_key == {k: 1 for k in KEYS}


def test_specific_model_ignores_case_space_dash_underscore():
    assert compare(GOLD, edit(model__specific_model="faster_rcnn"))["specific_model"]
    assert not compare(GOLD, edit(model__specific_model="Cascade R-CNN"))["specific_model"]
    none_gold = edit(model__specific_model="none")
    assert compare(none_gold, edit(model__specific_model=""))["specific_model"]


def test_quantities_need_same_unit_and_value():
    assert not compare(GOLD, edit(model__speed={"value": 30, "unit": "ms"}))["speed"]
    assert not compare(GOLD, edit(model__speed={"value": 31, "unit": "fps"}))["speed"]
    # unit "none": value ignored
    assert compare(GOLD, edit(model__flops={"value": 7, "unit": "none"}))["flops"]


def test_objects_fuzzy_order_free_one_to_one():
    assert compare(GOLD, edit(data__object=["Buses", "traffic lights"]))["object"]
    assert not compare(GOLD, edit(data__object=["bus"]))["object"]
    assert not compare(GOLD, edit(data__object=["bus", "car"]))["object"]
    # a duplicate cannot stand in for a missing class
    assert not compare(GOLD, edit(data__object=["bus", "buses"]))["object"]


def test_metrics_name_aliases_and_percent_values():
    pred = edit(model__metrics=[{"name": "recall", "value": 90}, {"name": "mAP", "value": 0.5}])
    assert compare(GOLD, pred)["metrics"]
    assert not compare(GOLD, edit(model__metrics=[{"name": "AP50", "value": 0.5},
                                                   {"name": "recall", "value": 0.9}]))["metrics"]
    assert not compare(GOLD, edit(model__metrics=[{"name": "AP", "value": 0.5}]))["metrics"]


def test_levels_arithmetic():
    # request 1: 1 item key wrong (gpu) + 1 list key wrong (object); request 2: all right
    p1 = edit(deploy__gpu="cpu", data__object=["car"])
    r = score([GOLD, GOLD], [p1, GOLD], ids=["a", "b"])
    assert r.item_level == pytest.approx(13 / 14)
    assert r.list_level == pytest.approx(3 / 4)
    assert r.key_level == pytest.approx(16 / 18)
    assert r.request_level == 0.5
    assert {(e.id, e.key) for e in r.errors} == {("a", "gpu"), ("a", "object")}


def test_singular_and_normalisation():
    assert singular("berries") == "berry" and singular("buses") == "bus" and singular("glass") == "glass"
    assert singular("people") == "person" and singular("leaves") == "leaf"
    assert normalize_object("Teddy-Bears") == "teddy bear"


def test_length_mismatch_raises():
    with pytest.raises(ValueError):
        score([GOLD], [])
