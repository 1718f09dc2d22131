"""Format readers: cards of the shared real datasets and clear errors for broken files."""

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from autommlab.errors import DataError, UsageError
from autommlab_datapool.formats import inspect_dataset

from conftest import shared


def test_cards_of_shared_datasets():
    c = inspect_dataset("h", shared("hymenoptera"), "imagenet")
    assert c.categories == ["ants", "bees"] and c.tasks == ["classification"]
    assert c.counts == {"train": {"ants": 123, "bees": 121}, "val": {"ants": 70, "bees": 83}}
    c = inspect_dataset("p", shared("pennfudan"), "coco")
    assert c.tasks == ["detection", "segmentation"] and c.categories == ["pedestrian"]
    assert c.counts == {"train": {"pedestrian": 292}, "val": {"pedestrian": 131}}
    assert c.images == {"train": 120, "val": 50}
    c = inspect_dataset("pm", shared("pennfudan"), "semantic_masks")
    assert c.categories == ["background", "pedestrian"] and c.images == {"train": 120, "val": 50}
    c = inspect_dataset("l", shared("lspet_pose"), "coco_keypoints")
    layout = c.metainfo["keypoints"]["person"]
    assert len(layout["keypoint_names"]) == 14 and layout["skeleton"][0] == [0, 1]  # 1-based -> 0-based
    assert [0, 5] in layout["flip_pairs"] and len(layout["sigmas"]) == 14


def _mini_coco(root, n_images=2, keypoints=False):
    (root / "images").mkdir(parents=True)
    images, anns = [], []
    for i in range(1, n_images + 1):
        Image.new("RGB", (32, 24), (i * 40, 0, 0)).save(root / "images" / f"im{i}.jpg")
        images.append({"id": i, "file_name": f"im{i}.jpg", "width": 32, "height": 24})
        anns.append({"id": i, "image_id": i, "category_id": 1, "bbox": [2, 2, 10, 10], "area": 100, "iscrowd": 0})
    data = {"images": images, "annotations": anns, "categories": [{"id": 1, "name": "car"}]}
    (root / "annotations").mkdir()
    for s in ("train", "val"):
        (root / "annotations" / f"{s}.json").write_text(json.dumps(data))
    return data


def test_coco_missing_image_names_file_and_item(tmp_path):
    _mini_coco(tmp_path)
    (tmp_path / "images" / "im2.jpg").unlink()
    with pytest.raises(DataError, match=r"train\.json: images\[1\] file 'im2\.jpg' \(id 2\) not found"):
        inspect_dataset("x", tmp_path, "coco")


def test_coco_malformed_json_names_file(tmp_path):
    _mini_coco(tmp_path)
    (tmp_path / "annotations" / "val.json").write_text('{"images": [')
    with pytest.raises(DataError, match=r"val\.json: malformed JSON"):
        inspect_dataset("x", tmp_path, "coco")


def test_coco_bad_category_and_bbox_name_the_annotation(tmp_path):
    data = _mini_coco(tmp_path)
    data["annotations"][1]["category_id"] = 7
    (tmp_path / "annotations" / "train.json").write_text(json.dumps(data))
    with pytest.raises(DataError, match=r"train\.json: annotations\[1\] \(id 2\): category_id 7 is not in categories"):
        inspect_dataset("x", tmp_path, "coco")
    data["annotations"][1]["category_id"] = 1
    data["annotations"][0]["bbox"] = [1, 2, 3]
    (tmp_path / "annotations" / "train.json").write_text(json.dumps(data))
    with pytest.raises(DataError, match=r"annotations\[0\] \(id 1\): bbox must be"):
        inspect_dataset("x", tmp_path, "coco")


def test_keypoint_format_needs_keypoints(tmp_path):
    _mini_coco(tmp_path)
    with pytest.raises(DataError, match="no category has 'keypoints'"):
        inspect_dataset("x", tmp_path, "coco_keypoints")


def test_imagenet_empty_class_folder(tmp_path):
    for cls in ("cat", "dog"):
        (tmp_path / "train" / cls).mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(tmp_path / "train" / "cat" / "a.jpg")
    with pytest.raises(DataError, match=r"class folder .*train/dog has no images \(empty class 'dog'\)"):
        inspect_dataset("x", tmp_path, "imagenet")


def test_imagenet_list_label_out_of_range(tmp_path):
    Image.new("RGB", (8, 8)).save(tmp_path / "a.jpg")
    (tmp_path / "classes.txt").write_text("cat\ndog\n")
    (tmp_path / "train.txt").write_text("a.jpg 0\na.jpg 2\n")
    with pytest.raises(DataError, match=r"train\.txt, line 2: label 2 is outside 0\.\.1"):
        inspect_dataset("x", tmp_path, "imagenet")


def _mini_masks(root, values):
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    for i, v in enumerate(values):
        Image.new("RGB", (16, 16)).save(root / "images" / f"s{i}.jpg")
        m = np.zeros((16, 16), np.uint8)
        m[4:8, 4:8] = v
        Image.fromarray(m, mode="L").save(root / "masks" / f"s{i}.png")


def test_masks_class_count_mismatch_names_mask(tmp_path):
    _mini_masks(tmp_path, [1, 3])
    (tmp_path / "classes.txt").write_text("background\nroad\n")
    with pytest.raises(DataError, match=r"s1\.png has values \[3\], but the class list has 2 classes.*class count mismatch"):
        inspect_dataset("x", tmp_path, "semantic_masks")
    card = inspect_dataset("x", tmp_path, "semantic_masks", classes="background,road,car,tree")
    assert card.counts["all"] == {"background": 2, "road": 1, "car": 0, "tree": 1}


def test_masks_missing_mask_and_missing_class_list(tmp_path):
    _mini_masks(tmp_path, [1])
    with pytest.raises(DataError, match="no class list"):
        inspect_dataset("x", tmp_path, "semantic_masks")
    (tmp_path / "classes.txt").write_text("background\nroad\n")
    Image.new("RGB", (16, 16)).save(tmp_path / "images" / "lonely.jpg")
    with pytest.raises(DataError, match=r"mask .*lonely\.png for image lonely\.jpg not found"):
        inspect_dataset("x", tmp_path, "semantic_masks")


def test_unknown_format_and_path():
    with pytest.raises(UsageError, match="unknown format 'voc'"):
        inspect_dataset("x", "/tmp", "voc")
    with pytest.raises(UsageError, match="does not exist"):
        inspect_dataset("x", "/nonexistent/dataset", "coco")
