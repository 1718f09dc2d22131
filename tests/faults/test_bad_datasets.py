"""Broken datasets: `autommlab data add` and the subset writer (select-data) refuse them by name.

Exit 1 (``DataError``) or 2 (usage) with the file and item named; a dataset
that registers but holds an image that cannot be decoded fails when its
subset is written, before any training.
"""

from __future__ import annotations

import json
import math
import os
import time

import pytest

from . import datasets as ds

pytest.importorskip("autommlab_datapool")


def add(invoke, name, path, fmt, *extra):
    return invoke("data", "add", name, path, "--format", fmt, *extra)


IMAGENET_LISTS = [
    (["img/ants.jpg 0", "img/missing.jpg 1"], "line 2: image img/missing.jpg not found"),
    (["img/ants.jpg 0", "../outside.jpg 1"], "path '../outside.jpg' escapes the dataset root"),
    (["img/ants.jpg 0", "/etc/hostname 1"], "path '/etc/hostname' escapes the dataset root"),
    (["img/ants.jpg 0", "img/bees.jpg 7"], "label 7 is outside 0..1"),
    (["img/ants.jpg 0", "img/bees.jpg"], "expected '<image path> <label index>'"),
    (["img/ants.jpg 0", "img/bees.jpg -1"], "label -1 is outside"),
]


@pytest.mark.parametrize("lines,words", IMAGENET_LISTS, ids=[w[:30] for _, w in IMAGENET_LISTS])
def test_imagenet_list_errors(invoke, tmp_path, lines, words):
    (tmp_path / "outside.jpg").write_bytes(b"x")
    root = ds.imagenet_lists(tmp_path / "cls", lines)
    code, _, err = add(invoke, "cls", root, "imagenet")
    assert code == 1 and words in err, err


def test_binary_list_file_and_empty_class(invoke, tmp_path):
    root = ds.imagenet_lists(tmp_path / "cls", ["img/ants.jpg 0"])
    (root / "train.txt").write_bytes(b"\xff\xfe\x00garbage\n")
    code, _, err = add(invoke, "cls", root, "imagenet")
    assert code == 1 and "train.txt: not UTF-8 text" in err, err
    root2 = ds.imagenet_folders(tmp_path / "folders")
    for p in (root2 / "train" / "bees").iterdir():
        p.unlink()
    code, _, err = add(invoke, "f", root2, "imagenet")
    assert code == 1 and "empty class 'bees'" in err, err


def test_symlink_loops_neither_hang_nor_crash(invoke, tmp_path):
    root = ds.imagenet_folders(tmp_path / "loops")
    os.symlink("loop.jpg", root / "train" / "ants" / "loop.jpg")  # a file link to itself
    os.symlink("..", root / "train" / "ants" / "up")  # a directory cycle
    os.symlink(root / "train", root / "train" / "bees" / "again")
    (tmp_path / "self").symlink_to(tmp_path / "self")
    t0 = time.monotonic()
    code, _, err = add(invoke, "loops", root, "imagenet")
    assert code == 0, err  # the loops are skipped: only real image files count
    assert time.monotonic() - t0 < 30
    code, _, err = add(invoke, "self", tmp_path / "self", "imagenet")
    assert code == 2 and "self" in err, err


def test_truncated_jpeg_fails_the_subset_naming_the_file(tmp_path):
    from autommlab.errors import DataError
    from autommlab_datapool.formats import inspect_dataset
    from autommlab_datapool.subset import build_subset

    root = ds.imagenet_folders(tmp_path / "cls")
    ds.truncate(root / "train" / "bees" / "bees1.jpg")
    card = inspect_dataset("cls", root, "imagenet")  # registration reads folders, not pixels
    with pytest.raises(DataError, match=r"bees1\.jpg cannot be decoded .*truncated"):
        build_subset(card, "classification", ["ants", "bees"], tmp_path / "out")
    (root / "train" / "ants" / "ants0.jpg").write_bytes(b"this is not a JPEG")
    with pytest.raises(DataError, match=r"ants0\.jpg cannot be decoded"):
        build_subset(card, "classification", ["ants", "bees"], tmp_path / "out2")


COCO_CASES = [
    (dict(category_id=7), "category_id 7 is not in categories (ids [1])"),
    (dict(bbox=[1, 2, float("nan"), 4]), "bbox must be [x, y, w, h] of finite numbers"),
    (dict(bbox=[1, 2, float("inf"), 4]), "bbox must be [x, y, w, h] of finite numbers"),
    (dict(bbox=["1", 2, 3, 4]), "bbox must be"),
    (dict(bbox=[1, 2, -3, 4]), "w, h >= 0"),
    (dict(bbox=[1, 2, 3]), "bbox must be"),
    (dict(file_name="../../etc/passwd"), "escapes the dataset root"),
    (dict(file_name="/etc/passwd"), "escapes the dataset root"),
    (dict(file_name="nope.jpg"), "image 'nope.jpg' (images[0]) not found"),
    (dict(width=-32), "width=-32 is not a positive integer"),
    (dict(raw="{not json"), "malformed JSON"),
    (dict(raw="[1, 2, 3]"), "expected a JSON object"),
    (dict(raw='{"images": [], "annotations": {}, "categories": []}'), "missing or non-list 'annotations'"),
    (dict(raw='{"images": [{"id": [1], "file_name": "a.jpg"}], "annotations": [], "categories": []}'),
     "id must be an integer"),
]


@pytest.mark.parametrize("kw,words", COCO_CASES, ids=[w[:30] for _, w in COCO_CASES])
def test_coco_errors(invoke, tmp_path, kw, words):
    root = ds.coco(tmp_path / "coco", **kw)
    code, _, err = add(invoke, "c", root, "coco")
    assert code == 1 and words in err, err
    assert "annotations" in err and "train.json" in err, err


def test_coco_image_truncated_or_of_another_size_fails_the_subset(tmp_path):
    from autommlab.errors import DataError
    from autommlab_datapool.formats import inspect_dataset
    from autommlab_datapool.subset import build_subset

    root = ds.coco(tmp_path / "coco")
    card = inspect_dataset("c", root, "coco")
    ds.truncate(root / "images" / "train1.jpg")
    with pytest.raises(DataError, match=r"train\.json: image id 2: image .*train1\.jpg cannot be decoded"):
        build_subset(card, "detection", ["person"], tmp_path / "out")
    ds.jpeg(root / "images" / "train1.jpg", size=(40, 40))  # annotation says 32x24
    with pytest.raises(DataError, match=r"is 40x40 but the annotation says 32x24"):
        build_subset(card, "segmentation", ["person"], tmp_path / "out2")


KEYPOINT_CASES = [
    (dict(keypoints=[5, 5, 2] * 13), "has 39 keypoint values, expected 3*14"),
    (dict(keypoints=[5, 5, 2] * 13 + [math.nan, 1, 2]), "not a finite number"),
    (dict(keypoints="5 5 2"), "has no keypoint values"),
]


@pytest.mark.parametrize("kw,words", KEYPOINT_CASES, ids=[w[:30] for _, w in KEYPOINT_CASES])
def test_keypoint_counts_must_match_the_category(invoke, tmp_path, kw, words):
    root = ds.coco(tmp_path / "kpt", k=14, **kw)
    code, _, err = add(invoke, "k", root, "coco_keypoints")
    assert code == 1 and words in err and "train.json" in err, err


def test_malformed_skeleton_names_the_category(invoke, tmp_path):
    root = ds.coco(tmp_path / "kpt", k=3)
    for split in ("train", "val"):
        f = root / "annotations" / f"{split}.json"
        d = json.loads(f.read_text())
        d["categories"][0]["skeleton"] = [[1, "two"]]
        f.write_text(json.dumps(d))
    code, _, err = add(invoke, "k", root, "coco_keypoints")
    assert code == 1 and "category 'person': malformed keypoints/skeleton" in err, err


MASK_CASES = [
    (dict(mask_size=(30, 20)), "is 30x20 but its image"),
    (dict(values=(0, 9)), "has values [9], but the class list has 2 classes"),
    (dict(mode="RGB"), "has mode RGB"),
]


@pytest.mark.parametrize("kw,words", MASK_CASES, ids=[w[:30] for _, w in MASK_CASES])
def test_mask_errors(invoke, tmp_path, kw, words):
    root = ds.masks_dataset(tmp_path / "seg", **kw)
    code, _, err = add(invoke, "s", root, "semantic_masks")
    assert code == 1 and words in err and "train0.png" in err, err


def test_missing_mask_and_unlisted_stem(invoke, tmp_path):
    root = ds.masks_dataset(tmp_path / "seg")
    (root / "masks" / "val" / "val1.png").unlink()
    code, _, err = add(invoke, "s", root, "semantic_masks")
    assert code == 1 and "val1.png for image val1.jpg not found" in err, err


def test_corrupt_registry_is_named(invoke, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "datapool.json").write_text("{oops")
    code, _, err = invoke("data", "list")
    assert code == 1 and "datapool.json: not valid JSON" in err, err
    (home / "datapool.json").write_text(json.dumps({"datasets": {"x": {"name": "x"}}}))
    code, _, err = invoke("data", "list")
    assert code == 1 and "dataset 'x' is malformed" in err, err


def test_run_stops_at_select_data_naming_the_truncated_image_and_keeps_the_parse(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOMMLAB_PLUGINS__DATAPOOL__USE_EMBEDDING", "false")
    root = ds.imagenet_folders(tmp_path / "insects")
    ds.truncate(root / "train" / "bees" / "bees2.jpg")
    code, _, err = add(invoke, "insects", root, "imagenet")
    assert code == 0, err
    code, _, err = invoke("run", "Classify ants and bees in photos, CPU, ONNX Runtime")
    assert code == 1 and "bees2.jpg cannot be decoded" in err, err
    run_dir = next((tmp_path / "runs").iterdir())
    record = json.loads((run_dir / "run.json").read_text())
    assert record["stages"]["parse"]["status"] == "done" and record["stages"]["select_data"]["status"] == "failed"
    assert json.loads((run_dir / "request.json").read_text())["data"]["object"] == ["ant", "bee"]
    assert not (run_dir / "data.json").exists()
