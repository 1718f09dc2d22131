"""Bad input: every error names the file and the item (DataError)."""

from __future__ import annotations

import json

import pytest

from autommlab.errors import DataError
from autommlab_openmmlab import synthetic
from autommlab_openmmlab.validate import validate


def test_synthetic_plans_are_valid(tmp_path):
    for task in synthetic.MAKERS:
        validate(synthetic.make_plan(task, tmp_path / task, n_train=6, n_val=3))


def test_missing_image_names_list_line_and_path(tmp_path):
    plan = synthetic.make_plan("classification", tmp_path, n_train=6, n_val=3)
    first = (tmp_path / "train.txt").read_text().splitlines()[0].split()[0]
    (tmp_path / "images" / first).unlink()
    with pytest.raises(DataError, match=rf"train.txt:1: image .*{first}.* does not exist"):
        validate(plan)


def test_empty_class(tmp_path):
    plan = synthetic.make_plan("classification", tmp_path, n_train=6, n_val=3)
    lines = [ln for ln in (tmp_path / "train.txt").read_text().splitlines() if not ln.endswith(" 2")]
    (tmp_path / "train.txt").write_text("\n".join(lines))
    with pytest.raises(DataError, match=r"train.txt: class\(es\) \['blue'\] have no training sample"):
        validate(plan)


def test_class_count_mismatch_in_list(tmp_path):
    plan = synthetic.make_plan("classification", tmp_path, n_train=6, n_val=3)
    with open(tmp_path / "val.txt", "a") as f:
        f.write("val/red/0000.jpg 7\n")
    with pytest.raises(DataError, match=r"val.txt:4: label 7 outside 0..2"):
        validate(plan)


def test_coco_category_mismatch_and_malformed_bbox(tmp_path):
    plan = synthetic.make_plan("detection", tmp_path, n_train=6, n_val=3)
    ann = tmp_path / "val.json"
    data = json.loads(ann.read_text())
    data["categories"].append({"id": 3, "name": "green"})
    ann.write_text(json.dumps(data))
    with pytest.raises(DataError, match=r"val.json: categories .* do not match the plan's 2 classes"):
        validate(plan)
    data["categories"].pop()
    data["annotations"][1]["bbox"] = [1, 2, 3]
    ann.write_text(json.dumps(data))
    with pytest.raises(DataError, match=r"val.json: annotation id 2: malformed bbox \[1, 2, 3\]"):
        validate(plan)
    ann.write_text("{not json")
    with pytest.raises(DataError, match=r"val.json: malformed JSON"):
        validate(plan)


def test_coco_missing_image(tmp_path):
    plan = synthetic.make_plan("detection", tmp_path, n_train=6, n_val=3)
    (tmp_path / "images" / "train_0004.jpg").unlink()
    with pytest.raises(DataError, match=r"train.json: image id 5: .*train_0004.jpg does not exist"):
        validate(plan)


def test_mask_with_unknown_class_and_missing_mask(tmp_path):
    import numpy as np
    from PIL import Image

    plan = synthetic.make_plan("segmentation", tmp_path, n_train=6, n_val=3)
    m = tmp_path / "val/masks/val_0001.png"
    Image.fromarray(np.full((8, 8), 5, np.uint8)).save(m)
    with pytest.raises(DataError, match=r"val_0001.png: pixel values \[5\] are not class indices 0..2"):
        validate(plan)
    m.unlink()
    with pytest.raises(DataError, match=r"val: image val_0001.jpg has no mask"):
        validate(plan)


def test_keypoint_count_mismatch(tmp_path):
    plan = synthetic.make_plan("keypoint", tmp_path, n_train=6, n_val=3)
    ann = tmp_path / "train.json"
    data = json.loads(ann.read_text())
    data["annotations"][2]["keypoints"] = data["annotations"][2]["keypoints"][:-3]
    ann.write_text(json.dumps(data))
    with pytest.raises(DataError, match=r"train.json: annotation id 3: 'keypoints' must hold 15 numbers"):
        validate(plan)
    bad = plan.model_copy(update={"metainfo": {**plan.metainfo, "sigmas": [0.05] * 4}})
    with pytest.raises(DataError, match=r"metainfo\['sigmas'\] must list 5 numbers"):
        validate(bad)
