"""The embedded demo pool: seeded, exact labels, every format readable."""

import json

import numpy as np
import pytest
from PIL import Image

from autommlab_datapool.demo import DEMO_DATASETS, ensure_demo


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo_home")
    cards = {n: ensure_demo(home, n, seed=3, scale=0.1) for n in DEMO_DATASETS}
    return home, cards


def test_cards(demo_home):
    _, cards = demo_home
    assert cards["demo-shapes-cls"].categories == ["circle", "square", "star", "triangle"]
    assert cards["demo-shapes-cls"].images == {"train": 40, "val": 8}
    assert cards["demo-shapes-det"].tasks == ["detection", "segmentation"]
    assert cards["demo-shapes-seg"].categories[0] == "background"
    assert cards["demo-shapes-kpt"].metainfo["keypoints"]["stick figure"]["flip_pairs"] == [[2, 3], [5, 6]]
    assert all(c.demo for c in cards.values())


def test_det_boxes_equal_mask_extents(demo_home):
    from pycocotools import mask as mask_utils
    from pycocotools.coco import COCO
    _, cards = demo_home
    coco = COCO(cards["demo-shapes-det"].files["train_ann"])
    anns = coco.loadAnns(coco.getAnnIds())
    assert len(anns) >= 30
    for a in anns:
        m = mask_utils.decode(a["segmentation"])
        ys, xs = np.nonzero(m)
        assert a["bbox"] == [xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1]
        assert a["area"] == m.sum() > 0


def test_seg_masks_match_class_list(demo_home):
    _, cards = demo_home
    card = cards["demo-shapes-seg"]
    for mask in sorted((card.path / "masks").glob("*.png"))[:10]:
        m = np.asarray(Image.open(mask))
        assert m.shape == (128, 128) and set(np.unique(m)) <= set(range(len(card.categories)))
        assert (m > 0).any()


def test_keypoints_inside_box_and_image(demo_home):
    _, cards = demo_home
    data = json.loads((cards["demo-shapes-kpt"].path / "annotations" / "train.json").read_text())
    assert len(data["categories"][0]["keypoints"]) == 7
    for a in data["annotations"]:
        x, y, w, h = a["bbox"]
        kp = np.array(a["keypoints"]).reshape(-1, 3)
        vis = kp[kp[:, 2] > 0]
        assert len(vis) == a["num_keypoints"] >= 5
        assert (vis[:, 0] >= x - 1).all() and (vis[:, 0] <= x + w + 1).all()
        assert (vis[:, 1] >= y - 1).all() and (vis[:, 1] <= y + h + 1).all()
        left, right = kp[2], kp[3]  # left hand is on the image's right of the right hand
        if left[2] and right[2]:
            assert left[0] > right[0] - 1e-6 or abs(left[0] - right[0]) < 30


def test_seeded_and_cached(tmp_path):
    a = ensure_demo(tmp_path / "a", "demo-shapes-det", seed=5, scale=0.05)
    b = ensure_demo(tmp_path / "b", "demo-shapes-det", seed=5, scale=0.05)
    ja = (a.path / "annotations" / "train.json").read_text()
    assert ja == (b.path / "annotations" / "train.json").read_text()
    c = ensure_demo(tmp_path / "c", "demo-shapes-det", seed=6, scale=0.05)
    assert ja != (c.path / "annotations" / "train.json").read_text()
    t = (a.path / "card.json").stat().st_mtime_ns
    ensure_demo(tmp_path / "a", "demo-shapes-det", seed=5, scale=0.05)
    assert (a.path / "card.json").stat().st_mtime_ns == t  # not regenerated
