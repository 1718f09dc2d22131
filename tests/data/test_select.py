"""The select-data hook: plans from the real pool and the demo pool, written in trainer formats."""

import json
import os
import sys
import subprocess

import numpy as np
import pytest
from PIL import Image

from autommlab.errors import DataError
from autommlab_datapool.selection import select_data

from conftest import DEMO_SCALE, make_ctx, make_request, register, shared


def _lines(plan, key):
    return [ln.rsplit(" ", 1) for ln in plan.path(key).read_text().splitlines() if ln]


def test_demo_classification_for_the_default_request(settings, tmp_path):
    ctx = make_ctx(settings, tmp_path / "run")
    (plan,) = select_data(make_request("classification", ["circles", "squares", "triangles"]), ctx)
    assert plan.datasets == ["demo-shapes-cls"] and plan.format == "imagenet"
    assert plan.classes == ["circle", "square", "triangle"]
    assert [(m.request_object, m.reason) for m in plan.matches] == [
        ("circles", "plural"), ("squares", "plural"), ("triangles", "plural")]
    assert plan.unmatched == []
    assert plan.root == (tmp_path / "run" / "data" / "demo-shapes-cls").resolve()
    per_class = round(100 * DEMO_SCALE)
    assert plan.train_counts == {c: per_class for c in plan.classes}
    assert plan.score < 0.6 and "synthetic demo data" in plan.notes[0]
    rows = _lines(plan, "train_list")
    assert len(rows) == plan.num_train
    for rel, label in rows:
        assert (plan.path("data_prefix") / rel).is_file()
        assert plan.classes[int(label)] in rel  # folder name = class
    assert len(_lines(plan, "val_list")) == plan.num_val == 3 * round(25 * DEMO_SCALE)


def test_real_dataset_preferred_over_demo(real_pool, settings):
    plans = select_data(make_request("classification", ["ants"]), make_ctx(settings))
    assert [p.datasets for p in plans] == [["hymenoptera"]]
    (p,) = plans
    # one matched class cannot be classified: the other category is kept as a negative class
    assert p.classes == ["ants", "bees"] and p.train_counts == {"ants": 123, "bees": 121}
    assert p.val_counts == {"ants": 70, "bees": 83}
    assert any("negative" in n for n in p.notes)


def test_detection_pedestrians_loads_with_pycocotools(real_pool, settings, tmp_path):
    from pycocotools.coco import COCO
    plans = select_data(make_request("detection", ["pedestrians"]), make_ctx(settings, tmp_path / "run"))
    p = plans[0]
    assert p.datasets == ["pennfudan"] and p.format == "coco" and p.classes == ["pedestrian"]
    assert p.matches[0].categories == ["pedestrian"] and p.matches[0].reason == "plural"
    assert p.train_counts == {"pedestrian": 292} and p.val_counts == {"pedestrian": 131}
    coco = COCO(str(p.path("train_ann")))
    assert [c["name"] for c in coco.loadCats(coco.getCatIds())] == p.classes
    assert len(coco.getImgIds()) == 120 and len(coco.getAnnIds()) == 292
    for img in coco.loadImgs(coco.getImgIds()[:5]):
        assert (p.path("img_dir") / img["file_name"]).is_file()
    ann = coco.loadAnns(coco.getAnnIds()[:1])[0]
    assert ann["segmentation"] and coco.annToMask(ann).sum() > 0


def test_segmentation_people_prefers_native_masks(real_pool, settings, tmp_path):
    plans = select_data(make_request("segmentation", ["people"]), make_ctx(settings, tmp_path / "run"))
    assert [p.datasets[0] for p in plans] == ["pennfudan-masks", "pennfudan"]
    for p in plans:
        assert p.classes == ["background", "pedestrian"] and p.matches[0].reason == "synonym"
        assert p.train_counts == {"pedestrian": 120} and p.val_counts == {"pedestrian": 50}
        for split in ("train", "val"):
            imgs = sorted(x.stem for x in p.path(f"{split}_img_dir").glob("*" + p.files["img_suffix"]))
            masks = sorted(x.stem for x in p.path(f"{split}_mask_dir").glob("*.png"))
            assert imgs == masks and len(imgs) == {"train": 120, "val": 50}[split]
        m = np.asarray(Image.open(next(p.path("val_mask_dir").glob("*.png"))))
        assert m.dtype == np.uint8 and set(np.unique(m)) <= {0, 1, 255} and (m == 1).any()
    # COCO polygons rasterised vs the dataset's own masks: nearly the same pixels
    a = np.asarray(Image.open(plans[0].path("train_mask_dir") / "FudanPed00002.png"))
    b = np.asarray(Image.open(plans[1].path("train_mask_dir") / "FudanPed00002.png"))
    assert ((a == 1) & (b == 1)).sum() / ((a == 1) | (b == 1)).sum() > 0.9


def test_keypoints_metainfo(real_pool, settings):
    from pycocotools.coco import COCO
    (p,) = select_data(make_request("keypoint", ["people"]), make_ctx(settings))
    assert p.datasets == ["lspet"] and p.format == "coco_keypoints" and p.classes == ["person"]
    meta = p.metainfo
    assert len(meta["keypoint_names"]) == len(meta["sigmas"]) == 14
    assert meta["keypoint_names"][0] == "right_ankle" and [0, 5] in meta["flip_pairs"]
    assert all(0 <= i < 14 and 0 <= j < 14 for i, j in meta["skeleton"])
    assert all(0.05 <= s <= 0.11 for s in meta["sigmas"])
    assert any("sigmas" in n for n in p.notes)
    coco = COCO(str(p.path("val_ann")))
    assert len(coco.getAnnIds()) == 80 == p.val_counts["person"]
    assert len(coco.loadAnns(coco.getAnnIds()[:1])[0]["keypoints"]) == 42


def test_unknown_objects_decline_with_names(real_pool, settings):
    ctx = make_ctx(settings)
    assert select_data(make_request("detection", ["unicorns"]), ctx) is None
    (d,) = ctx.declines
    assert d.plugin == "datapool" and "'unicorns'" in d.reason and "pennfudan" in d.reason


def test_partly_matched_objects_are_reported(real_pool, settings):
    (p, *_) = select_data(make_request("detection", ["pedestrians", "zebras"]), make_ctx(settings))
    assert p.datasets == ["pennfudan"] and p.unmatched == ["zebras"]
    assert any("'zebras'" in n for n in p.notes)
    assert p.score < 0.6  # half the objects matched


def test_pinned_dataset(real_pool, settings):
    (p,) = select_data(make_request("segmentation", ["pedestrians"], ["pennfudan"]), make_ctx(settings))
    assert p.datasets == ["pennfudan"] and p.format == "semantic_masks"
    ctx = make_ctx(settings)
    assert select_data(make_request("detection", ["cars"], ["cityscapes"]), ctx) is None
    assert "'cityscapes' are not in the pool" in ctx.declines[0].reason


def test_subset_is_idempotent_and_resumes(real_pool, settings, tmp_path):
    req = make_request("segmentation", ["pedestrians"], ["pennfudan"])
    (p1,) = select_data(req, make_ctx(settings, tmp_path / "run"))
    marker = p1.root / "subset.json"
    t0 = marker.stat().st_mtime_ns
    (p2,) = select_data(req, make_ctx(settings, tmp_path / "run"))
    assert p2 == p1 and marker.stat().st_mtime_ns == t0  # reused, not rewritten
    # an interrupted write: marker and one mask missing -> rebuilt, same result
    marker.unlink()
    victim = next(p1.path("train_mask_dir").glob("*.png"))
    victim.unlink()
    (p3,) = select_data(req, make_ctx(settings, tmp_path / "run"))
    assert p3 == p1 and victim.is_file() and marker.is_file()
    # an interrupted build of a different subset in the same folder is cleared, not mixed in
    marker.unlink()
    (p1.root / ".building").write_text("another-fingerprint")
    stale = p1.path("train_img_dir") / "stale.jpg"
    stale.write_bytes(b"x")
    (p4,) = select_data(req, make_ctx(settings, tmp_path / "run"))
    assert p4 == p1 and not stale.exists() and not (p1.root / ".building").exists()


def test_images_are_linked_not_copied(real_pool, settings, tmp_path):
    (p,) = select_data(make_request("keypoint", ["person"]), make_ctx(settings, tmp_path / "run"))
    img = next((p.path("img_dir") / "train").iterdir())
    assert img.is_symlink() or os.stat(img).st_nlink > 1


def test_broken_registered_annotation_raises_data_error(home, settings, tmp_path):
    src = tmp_path / "pf"
    shutil_copy = __import__("shutil").copytree
    shutil_copy(shared("pennfudan"), src)
    register(home, "pf", src, "coco")
    (src / "annotations" / "train.json").write_text("{broken")
    with pytest.raises(DataError, match=r"train\.json: malformed JSON"):
        select_data(make_request("detection", ["pedestrians"]), make_ctx(settings))


def test_empty_match_raises(home, settings, tmp_path):
    """A matched category with no training examples is an empty class: named in the error."""
    root = tmp_path / "cars"
    (root / "images").mkdir(parents=True)
    Image.new("RGB", (20, 20)).save(root / "images" / "a.jpg")
    data = {"images": [{"id": 1, "file_name": "a.jpg", "width": 20, "height": 20}],
            "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 5, 5]}],
            "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "bus"}]}
    (root / "annotations").mkdir()
    (root / "annotations" / "train.json").write_text(json.dumps(data))
    (root / "annotations" / "val.json").write_text(json.dumps(data))
    register(home, "cars", root, "coco")
    with pytest.raises(DataError, match=r"cars: the matched categories \['bus'\] have no training examples"):
        select_data(make_request("detection", ["buses"]), make_ctx(settings))
    (p,) = select_data(make_request("detection", ["vehicles"]), make_ctx(settings))
    assert p.classes == ["car"] and p.matches[0].categories == ["car", "bus"]
    assert any("dropped categories with no training examples in cars: bus" in n for n in p.notes)


def test_seeded_split_for_single_split_source(home, settings, tmp_path):
    root = tmp_path / "flat"
    for cls in ("cat", "dog"):
        (root / cls).mkdir(parents=True)
        for i in range(10):
            Image.new("RGB", (8, 8), (i, 0, 0)).save(root / cls / f"{i}.png")
    register(home, "flat", root, "imagenet")
    (p,) = select_data(make_request("classification", ["cats", "dogs"]), make_ctx(settings, tmp_path / "r1"))
    (q,) = select_data(make_request("classification", ["cats", "dogs"]), make_ctx(settings, tmp_path / "r2"))
    assert p.train_counts == {"cat": 8, "dog": 8} and p.val_counts == {"cat": 2, "dog": 2}
    assert p.path("val_list").read_text() == q.path("val_list").read_text()  # same seed, same split
    assert any("seeded split" in n for n in p.notes)


def test_hook_through_plugin_manager(real_pool, settings):
    from autommlab.plugins import PluginManager
    import autommlab_datapool.plugin as plugin
    pm = PluginManager(load_entrypoints=False)
    pm.register(plugin, name="datapool")
    assert "datapool" in pm.implementers("select_data")
    plans = pm.call_collect("select_data", make_ctx(settings), request=make_request("detection", ["people"]))
    assert plans[0].source == "datapool" and plans[0].datasets == ["pennfudan"]


def test_plugin_module_is_light():
    code = ("import sys, autommlab_datapool.plugin as p; "
            "bad = [m for m in ('numpy', 'PIL', 'pycocotools', 'torch', 'inflect') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
