"""Subsets load in the OpenMMLab datasets the trainers use (skipped where the stack is not installed)."""

import pytest

from autommlab_datapool.selection import select_data

from conftest import make_ctx, make_request


@pytest.fixture
def plan_for(real_pool, settings, tmp_path):
    def get(task, objects):
        return select_data(make_request(task, objects), make_ctx(settings, tmp_path / "run"))[0]
    return get


@pytest.mark.parametrize("objects", [["ants", "bees"], ["circles", "squares", "triangles"]])
def test_mmpretrain_custom_dataset(plan_for, objects):
    pytest.importorskip("mmpretrain")
    from mmpretrain.datasets import CustomDataset
    p = plan_for("classification", objects)
    for split, counts in (("train", p.train_counts), ("val", p.val_counts)):
        ds = CustomDataset(data_root=str(p.root), ann_file=p.files[f"{split}_list"],
                           data_prefix=p.files["data_prefix"], metainfo={"classes": p.classes}, pipeline=[])
        assert len(ds) == sum(counts.values())
        assert ds.metainfo["classes"] == tuple(p.classes) or list(ds.metainfo["classes"]) == p.classes
        labels = [int(ds.get_data_info(i)["gt_label"]) for i in range(len(ds))]
        assert {p.classes[lb]: labels.count(lb) for lb in set(labels)} == counts
        import os
        assert os.path.isfile(ds.get_data_info(0)["img_path"])


def test_mmdet_coco_dataset(plan_for):
    pytest.importorskip("mmdet")
    from mmdet.datasets import CocoDataset
    p = plan_for("detection", ["pedestrians"])
    ds = CocoDataset(data_root=str(p.root), ann_file=p.files["val_ann"], data_prefix={"img": p.files["img_dir"] + "/"},
                     metainfo={"classes": tuple(p.classes)}, pipeline=[], test_mode=True)
    assert len(ds) == 50
    n = sum(len(ds.get_data_info(i)["instances"]) for i in range(len(ds)))
    assert n == p.val_counts["pedestrian"] == 131
    info = ds.get_data_info(0)
    assert all(inst["bbox_label"] == 0 for inst in info["instances"])
    import os
    assert os.path.isfile(info["img_path"])


def test_mmseg_base_seg_dataset(plan_for):
    pytest.importorskip("mmseg")
    from mmseg.datasets import BaseSegDataset
    p = plan_for("segmentation", ["people"])
    ds = BaseSegDataset(data_root=str(p.root), img_suffix=p.files["img_suffix"], seg_map_suffix=p.files["mask_suffix"],
                        data_prefix={"img_path": p.files["train_img_dir"], "seg_map_path": p.files["train_mask_dir"]},
                        metainfo={"classes": tuple(p.classes), "palette": [[0, 0, 0], [220, 20, 60]]},
                        pipeline=[], reduce_zero_label=False)
    assert len(ds) == 120
    info = ds.get_data_info(0)
    from pathlib import Path
    assert Path(info["img_path"]).stem == Path(info["seg_map_path"]).stem
    assert Path(info["seg_map_path"]).is_file()


def _mmpose_metainfo(meta: dict, name: str) -> dict:
    names = meta["keypoint_names"]
    swap = {}
    for i, j in meta["flip_pairs"]:
        swap[i], swap[j] = names[j], names[i]
    return {
        "dataset_name": name,
        "keypoint_info": {i: {"name": n, "id": i, "color": [255, 0, 0], "type": "", "swap": swap.get(i, "")}
                          for i, n in enumerate(names)},
        "skeleton_info": {k: {"link": (names[i], names[j]), "id": k, "color": [0, 255, 0]}
                          for k, (i, j) in enumerate(meta["skeleton"])},
        "joint_weights": [1.0] * len(names),
        "sigmas": meta["sigmas"],
    }


@pytest.mark.parametrize("objects, n_val, k", [(["people"], 80, 14), (["stick figures"], 25, 7)])
def test_mmpose_coco_dataset_custom_metainfo(plan_for, objects, n_val, k):
    pytest.importorskip("mmpose")
    from mmpose.datasets import CocoDataset
    p = plan_for("keypoint", objects)
    meta = _mmpose_metainfo(p.metainfo, p.datasets[0])
    ds = CocoDataset(data_root=str(p.root), ann_file=p.files["val_ann"], data_prefix={"img": p.files["img_dir"] + "/"},
                     metainfo=meta, pipeline=[], data_mode="topdown", test_mode=True)
    assert len(ds) == n_val
    info = ds.get_data_info(0)
    assert info["keypoints"].shape == (1, k, 2)
    assert ds.metainfo["num_keypoints"] == k
    flip = ds.metainfo["flip_indices"]
    assert len(flip) == k and all(flip[flip[i]] == i for i in range(k))
    assert flip != list(range(k))  # left/right pairs are really swapped
