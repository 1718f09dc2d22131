"""The offline parser: accuracy on gold sets, units, corrections, negations, and clear refusals."""

import json
from pathlib import Path

import pytest
from autommlab.context import Context
from autommlab.errors import RequestError
from autommlab.parsing import parse_request
from autommlab.parsing.evaluate import evaluate, load_gold
from autommlab.parsing.numbers import spell_out_numbers
from autommlab.parsing.plugin import autommlab_parse
from autommlab.plugins import PluginManager
from autommlab.schemas import Request

DATA = Path(__file__).parent / "data"
DEV = DATA / "ru_dev.jsonl"  # copy of shared/lamp/ru_dev.jsonl
HELDOUT, HELDOUT_B, HELDOUT_C, HELDOUT_D, HELDOUT_E, HELDOUT_F = (
    DATA / f"heldout{s}.jsonl" for s in ("", "_b", "_c", "_d", "_e", "_f"))


def p(text):
    return parse_request(text).to_json_dict()


@pytest.mark.parametrize("path", [HELDOUT, HELDOUT_B, HELDOUT_C, HELDOUT_D, HELDOUT_E, HELDOUT_F, DEV],
                         ids=["heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f", "dev"])
def test_lamp_accuracy_on_gold_sets(path):
    res = evaluate(load_gold(path), parse_request)
    # the paper's RU-LLaMA: key 98.20, request 86.25
    assert res.report.key_level >= 0.97, res.report.errors
    assert res.report.request_level >= 0.86, res.report.errors
    assert res.mean_ms < 50


def test_heldout_sets_cover_all_tasks_and_enough_requests():
    for path, n in ((HELDOUT, 40), (HELDOUT_B, 30), (HELDOUT_C, 24), (HELDOUT_D, 24), (HELDOUT_E, 24),
                    (HELDOUT_F, 24)):
        items = load_gold(path)
        assert len(items) >= n
        assert {it.parse["model"]["task"] for it in items} == {"classification", "detection", "segmentation", "keypoint"}


def test_hook_returns_validated_request_and_plugin_manager_serves_it():
    r = autommlab_parse(text="Detect cars and buses, 30 FPS on a GPU with TensorRT.", ctx=Context())
    assert isinstance(r, Request)
    pm = PluginManager(load_entrypoints=False)
    assert "offline_parser" in pm.implementers("parse")
    r2 = pm.call_single("parse", Context(), text="Segment roads in drone photos, mIoU 0.7")
    assert r2.model.task == "segmentation" and r2.model.metrics[0].name == "mIoU"
    assert r2.model.metrics[0].value == pytest.approx(0.7)


@pytest.mark.parametrize("text,speed", [
    ("detect cars within half a second per image", (0.5, "s")),
    ("detect cars within a tenth of a second", (0.1, "s")),
    ("detect cars at thirty frames per second", (30, "fps")),
    ("detect cars in two hundred milliseconds", (200, "ms")),
    ("detect cars at 12 images/s", (12, "fps")),
    ("detect cars, latency 8ms", (8, "ms")),
])
def test_speed_units(text, speed):
    s = p(text)["model"]["speed"]
    assert (s["value"], s["unit"]) == pytest.approx(speed[0]) and s["unit"] == speed[1] or (
        s["value"] == pytest.approx(speed[0]) and s["unit"] == speed[1])


@pytest.mark.parametrize("text,key,expect", [
    ("classify cats and dogs with fewer than 800K params", "parameters", (800, "K")),
    ("classify cats and dogs, at most 1.2 million parameters", "parameters", (1.2, "M")),
    ("classify cats and dogs; parameters must not exceed 5M", "parameters", (5, "M")),
    ("classify cats and dogs with up to 0.5B parameters", "parameters", (0.5, "B")),
    ("classify cats and dogs under 900 million FLOPs", "flops", (900, "MFLOPs")),
    ("classify cats and dogs under 8 billion FLOPs", "flops", (8, "GFLOPs")),
    ("classify cats and dogs, compute budget 1.5 TFLOPs", "flops", (1.5, "TFLOPs")),
])
def test_size_units(text, key, expect):
    q = p(text)["model"][key]
    assert q["value"] == pytest.approx(expect[0]) and q["unit"] == expect[1]


def test_metrics_percent_and_both_orders():
    m = p("Detect boats: 90% precision, recall of at least 0.8 and mAP 45 percent.")["model"]["metrics"]
    assert {x["name"]: x["value"] for x in m} == pytest.approx({"precision": 0.9, "recall": 0.8, "AP": 0.45})
    m = p("segment lungs, dice coefficient 0.9 and 85% mean IoU")["model"]["metrics"]
    assert {x["name"]: x["value"] for x in m} == pytest.approx({"dice": 0.9, "mIoU": 0.85})


def test_devices_engines_and_negation():
    d = p("detect dogs on a laptop without a GPU; openvino is not needed, use onnxruntime")["deploy"]
    assert d == {"description": "", "gpu": "cpu", "inference engine": "onnxruntime"}
    assert p("detect dogs with TensorRT")["deploy"]["gpu"] == "none"  # TensorRT alone does not imply a GPU
    assert p("detect dogs on a Jetson Nano")["deploy"]["gpu"] == "gpu"
    assert p("detect dogs on a Raspberry Pi")["deploy"]["gpu"] == "cpu"
    assert p("detect dogs, either ncnn or OpenVINO is fine")["deploy"]["inference engine"] == "ncnn"


def test_corrections_later_value_wins():
    r = p("Use a MobileNetV2, sorry, I mean a ShuffleNetV2, to classify fist and palm, 30 fps... I mean 40 fps")
    assert r["model"]["specific_model"] == "ShuffleNetV2"
    assert r["model"]["speed"] == {"value": 40, "unit": "fps"}
    assert p("detect cats, er, actually dogs, in barn photos")["data"]["object"] == ["dog"]
    assert p("segment roads, deploy with TensorRT, I mean ONNX Runtime")["deploy"]["inference engine"] == "onnxruntime"


def test_models_datasets_modality_objects():
    r = p("Train an RTMDet-tiny on COCO to find teddy bears and kites in grayscale scans")
    assert r["model"]["specific_model"] == "RTMDet-tiny" and r["data"]["specific"] == ["COCO"]
    assert r["data"]["modality"] == "grayscale" and r["data"]["object"] == ["teddy bear", "kite"]
    assert p("A Vision Transformer (ViT) to classify ripe vs unripe mangoes")["model"]["specific_model"] == "ViT"
    r = p("Estimate the pose of climbers on walls from infrared cameras")
    assert r["model"]["task"] == "keypoint" and r["data"]["object"] == ["climber"] and r["data"]["modality"] == "infrared"


@pytest.mark.parametrize("text,fragment", [
    ("", "empty"),
    ("   \n ", "empty"),
    ("Track vehicles across video frames from a highway camera", "video tracking"),
    ("Generate text summaries of news articles", "text generation"),
    ("Transcribe speech from call-center audio", "speech"),
    ("I need a model that is good and fast", "could not tell"),
    ("detect cars, latency under 30 on GPU", "has no unit"),
    ("classify cats and dogs with a budget of 600.", "has no unit"),
    ("detect people, at least 90%", "not tied to a metric"),
    ("detect people on the CPU only, running on the GPU", "contradictory device"),
    ("detect people with TensorRT on a CPU-only box", "TensorRT"),
    ("detect people, deploy with ncnn and TensorRT", "two inference engines"),
    ("detect people with under 5M parameters and under 20M parameters", "contradictory parameter"),
    ("detect people at 30 fps and within 200 ms", "contradictory speed"),
])
def test_refusals_name_the_problem(text, fragment):
    with pytest.raises(RequestError) as e:
        parse_request(text)
    assert fragment.lower() in str(e.value).lower()


def test_consistent_speeds_are_not_a_contradiction():
    assert p("detect people at 25 fps, i.e. 40 ms per frame")["model"]["speed"] == {"value": 25, "unit": "fps"}


def test_numbers_that_are_names_or_counts_are_fine():
    r = p("Classify 3 kinds of leaves with a ResNet-50 trained on CIFAR-10 on an RTX 3060")
    assert r["model"]["specific_model"] == "ResNet-50" and r["deploy"]["gpu"] == "gpu"


def test_spell_out_numbers_leaves_plain_words():
    assert spell_out_numbers("one or two cars within half a second") == "one or two cars within 0.5 second"
    assert spell_out_numbers("thirty-five frames per second") == "35 frames per second"


def test_eval_ru_command_json(tmp_path, capsys):
    from autommlab.cli import main

    gold = tmp_path / "gold.jsonl"
    rows = [json.loads(line) for line in HELDOUT.read_text().splitlines()[:5]]
    rows.append({"id": "bad", "requirement": "Track cars across frames", "parse": rows[0]["parse"]})
    gold.write_text("\n".join(json.dumps(r) for r in rows))
    preds = tmp_path / "pred.jsonl"
    main(["eval", "ru", "--data", str(gold), "--json", "--predictions", str(preds), "--plugin", "offline_parser"])
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 6 and out["unparsed"] == 1 and "bad" in out["failures"]
    assert out["request_level"] == pytest.approx(5 / 6)
    lines = [json.loads(x) for x in preds.read_text().splitlines()]
    assert lines[-1]["parse"] is None and "video tracking" in lines[-1]["error"]


def test_load_gold_names_file_and_line(tmp_path):
    bad = tmp_path / "g.jsonl"
    bad.write_text('{"requirement": "x"}\n')
    with pytest.raises(Exception) as e:
        load_gold(bad)
    assert "g.jsonl:1" in str(e.value) and "parse" in str(e.value)


@pytest.mark.parametrize("text,task,objects,model", [
    ("Build a face detector that runs under 10ms on a phone CPU using ncnn.", "detection", ["face"], "none"),
    ("Detect PCB defects: missing components, solder bridges and scratches with YOLOv8n",
     "detection", ["missing component", "solder bridge", "scratch"], "YOLOv8n"),
    ("Segment every pixel into water, land, and cloud", "segmentation", ["water", "land", "cloud"], "none"),
    ("a model for recognizing flower species like roses and tulips with ResNet50", "classification",
     ["rose", "tulip"], "ResNet50"),
    ("Users upload a photo and we must say if it's basil, mint or parsley", "classification",
     ["basil", "mint", "parsley"], "none"),
    ("I have photos of lions and tigers and want to classify them", "classification", ["lion", "tiger"], "none"),
    ("separate foreground people from the background in video calls", "segmentation", ["foreground person"], "none"),
    ("Animal pose estimation for horses and cows on farms", "keypoint", ["horse", "cow"], "none"),
    ("Tell genuine banknotes from counterfeit ones", "classification", ["genuine banknote", "counterfeit banknote"],
     "none"),
])
def test_phrasing_variants(text, task, objects, model):
    r = p(text)
    assert r["model"]["task"] == task
    assert r["data"]["object"] == objects
    assert r["model"]["specific_model"] == model


def test_text_classification_is_refused():
    with pytest.raises(RequestError, match="text classification"):
        parse_request("classify customer emails as spam or not spam")


def test_named_model_decides_task_when_text_has_no_cue():
    r = p("Need a DeepLabV3 that separates vegetation from buildings in aerial images")
    assert r["model"]["task"] == "segmentation" and r["data"]["object"] == ["vegetation", "building"]
    assert p("an RTMPose-s for runners")["model"]["task"] == "keypoint"
    # an explicit cue beats the family: "detect" with a segmentation model is still detection
    assert p("Use Mask R-CNN to detect apples")["model"]["task"] == "detection"


def test_face_masks_are_objects_not_a_segmentation_cue():
    r = p("Detect people without masks in subway stations")
    assert r["model"]["task"] == "detection"
    assert p("produce pixel-accurate masks of retinal vessels")["model"]["task"] == "segmentation"


def test_more_cues():
    assert p("a food recognition model for pizza and sushi")["model"]["task"] == "classification"
    assert p("segment lanes, 25 fps on an orin")["deploy"]["gpu"] == "gpu"
    assert p("classify X-ray images into normal vs. abnormal")["data"]["object"] == ["normal", "abnormal"]
    assert p("Find and count sheep in drone footage")["data"]["object"] == ["sheep"]
    m = p("detect tumours; the recall has to be at least 0.95")["model"]["metrics"]
    assert m == [{"name": "recall", "value": 0.95}]


def test_never_crashes_on_scrambled_or_odd_text():
    """Shuffled words, glued requests and odd tokens give a Request or a RequestError, nothing else."""
    import random

    texts = [it.requirement for path in (HELDOUT, DEV) for it in load_gold(path)]
    odd = ["1e9 FLOPs", "∞ fps", "()", ": :", "—", "I mean", "actually", "sorry,", "0%", "½ second", "30", "vs.",
           "e.g.", "😀", "\n", "mAP@0.5:0.95", "top-5", "3.5.1", "-5 ms", "5 - 10 fps"]
    rng = random.Random(0)
    for i in range(300):
        words = rng.choice(texts).split()
        if i % 2:
            rng.shuffle(words)
        else:
            words.insert(rng.randint(0, len(words)), rng.choice(odd))
        try:
            assert isinstance(parse_request(" ".join(words)), Request)
        except RequestError:
            pass


# ----------------------------------------------------------------------------- issue 13: phrasings the dev set lacks

TUNE = [DATA / f"ru_tune{s}.jsonl" for s in ("", "_b", "_c", "_d", "_e", "_f", "_g", "_h", "_i", "_j", "_k", "_l", "_m",
                                              "_n", "_o", "_p", "_q", "_r", "_s", "_t", "_u", "_v",
                                              "_w", "_x", "_y", "_z", "_aa")]
BLIND = DATA / "ru_blind.jsonl"  # written by someone else, blind to the parser; spent (tuned on) since 2026-12-04
BLIND2 = DATA / "ru_blind2.jsonl"  # the second blind set, written by another writer and scored aggregate-only
BLIND3 = DATA / "ru_blind3.jsonl"  # the third, by a third writer, scored aggregate-only before and after the fourth pass
# floors at what was measured (docs/bench/ru.md); key-level, request-level
FLOORS = {"ru_dev": (1.000, 1.000), "ru_tune": (1.000, 1.000), "ru_tune_b": (1.000, 1.000),
          "ru_tune_c": (1.000, 1.000), "ru_tune_d": (0.991, 0.925), "ru_tune_e": (0.997, 0.975),
          "ru_tune_f": (0.996, 0.966), "ru_tune_g": (0.996, 0.966), "ru_tune_h": (0.996, 0.966),
          "ru_tune_i": (1.000, 1.000), "ru_tune_j": (1.000, 1.000), "ru_tune_k": (0.996, 0.966),
          "ru_tune_l": (0.996, 0.966), "ru_tune_m": (0.992, 0.933), "ru_tune_n": (0.993, 0.937),
          "ru_tune_o": (0.989, 0.921), "ru_tune_p": (0.994, 0.953), "ru_tune_q": (0.987, 0.906),
          "ru_tune_r": (0.980, 0.828), "ru_tune_s": (0.998, 0.986), "ru_tune_t": (0.995, 0.958),
          "ru_tune_u": (0.979, 0.833), "ru_tune_v": (0.972, 0.763), "ru_tune_w": (0.961, 0.805),
          "ru_tune_x": (0.972, 0.763), "ru_tune_y": (0.959, 0.763), "ru_tune_z": (0.984, 0.861),
          "ru_tune_aa": (0.959, 0.666), "ru_blind": (1.000, 1.000)}


@pytest.mark.parametrize("path", [DEV] + TUNE + [BLIND], ids=lambda p: p.stem)
def test_lamp_floors_on_dev_and_tuning_sets(path):
    res = evaluate(load_gold(path), parse_request)
    key, request = FLOORS[path.stem]
    assert res.report.key_level >= key and res.report.request_level >= request, (
        res.report.key_level, res.report.request_level, res.report.errors)


@pytest.mark.parametrize("path,floor", [(BLIND2, (0.922, 0.729)), (BLIND3, (0.934, 0.677))], ids=["blind2", "blind3"])
def test_lamp_on_blind_set(path, floor):
    if not path.exists():
        pytest.skip(f"tests/ru/data/{path.name} is not in this checkout")
    r = evaluate(load_gold(path), parse_request).report
    assert r.n >= 80
    # only the aggregate is reported, so a failure does not show blind requests to whoever works on the parser
    assert r.key_level >= floor[0] and r.request_level >= floor[1], (r.key_level, r.request_level)


# blind2 measured at 359c232 and 9d853a2: key 92.25, request 72.92; blind3 at 38356b6 and d05e035: key 93.40, request
# 67.71 (docs/bench/ru.md). Both are below the target (key 0.98, request 0.90): the floors are the measured values


def task_of(text):
    m = parse_request(text).model
    return m.task, m.task_guess


@pytest.mark.parametrize("text,task,why", [
    ("Which of sparrow, finch or wren is on the feeder camera now?", "classification", "which of"),
    ("Draw boxes around every shopping trolley in the car park", "detection", "boxes"),
    ("Colour in the pixels that belong to moss on the roof tiles", "segmentation", "pixels"),
    ("Show me the angles of knees and elbows of each rower", "keypoint", "joints"),
    ("A counter for lorries entering the yard", "detection", "counter"),
    ("Photos of fabric: denim, tweed or velvet. Top-1 accuracy 0.9", "classification", "accuracy"),
    ("Roof photos, a dice of 0.8 at least", "segmentation", "dice"),
    ("A model for plums, cherries and apricots in market photos", "classification", "3 classes"),
    ("A model for potholes in street photos", "detection", "one kind"),
])
def test_task_is_guessed_and_says_why(text, task, why):
    got, note = task_of(text)
    assert got == task and note and why in note


def test_an_unsupported_word_naming_the_product_of_an_image_request_is_not_refused():
    assert p("Estimate how the fingers of signers are positioned, for a translation app. PCK 0.85")["model"][
        "task"] == "keypoint"
    with pytest.raises(RequestError, match="unsupported task"):
        parse_request("Build a speech recognition app for call centres")


@pytest.mark.parametrize("text,task,objects", [
    ("pls detcet cats and dogs in the garden cam", "detection", ["cat", "dog"]),
    ("I want to segement the road and the pavement", "segmentation", ["road", "pavement"]),
    ("clasify flowers: rose, tulip, daisy", "classification", ["rose", "tulip", "daisy"]),
    ("Estimate keypionts of runners", "keypoint", ["runner"]),
    ("Detect defects on welds: cracks and pores", "detection", ["crack", "pore"]),  # "defect" is a word
    ("Pose estimator for tennis players", "keypoint", ["tennis player"]),
])
def test_misspelt_task_words(text, task, objects):
    r = p(text)
    assert (r["model"]["task"], r["data"]["object"]) == (task, objects)


def test_equal_cues_go_to_the_first_in_the_text():
    assert p("It should find each cow's head for face recognition later")["model"]["task"] == "detection"


def test_stated_task_has_no_guess_and_weak_verbs_yield_to_task_metrics():
    assert task_of("Detect moths in trap photos") == ("detection", None)
    task, note = task_of("Find the mould on bread slices, mIoU 0.7")  # "find" is weak; mIoU is a segmentation metric
    assert task == "segmentation" and "mIoU" in note
    with pytest.raises(RequestError, match="could not tell"):
        parse_request("I need a model that is good and fast")


def test_task_guess_is_outside_the_wire_schema_but_reaches_normalized_and_report(tmp_path):
    from autommlab.report import render
    from autommlab.results import RunResult
    from autommlab.schemas import RunRecord

    assert "task_guess" not in json.dumps(Request.model_json_schema(by_alias=True))
    stated = parse_request("Detect moths in trap photos")
    assert "task_guess" not in stated.to_json_dict()["model"] and not stated.normalized.task_guessed
    guessed = parse_request("Draw boxes around every shopping trolley in the car park")
    assert guessed.to_json_dict()["model"]["task_guess"] == guessed.normalized.task_note
    assert Request.model_validate(guessed.to_json_dict()).normalized.task_guessed  # survives request.json
    md = render(RunRecord(run_id="r", text="x"), RunResult(run_dir=tmp_path, request=guessed))
    assert "| task stated | no - guessed: no task word" in md
    md = render(RunRecord(run_id="r", text="x"), RunResult(run_dir=tmp_path, request=stated))
    assert "| task stated | yes |" in md


def metrics_of(text):
    return {m["name"]: m["value"] for m in p(text)["model"]["metrics"]}


@pytest.mark.parametrize("text,expect", [
    ("Detect moths. The metric we use is recall. 0.8 at least.", {"recall": 0.8}),
    ("Segment moss on roofs. We judge it on mean IoU. It has to reach 66%.", {"mIoU": 0.66}),
    ("Detect moths; precision and recall both around 0.85", {"precision": 0.85, "recall": 0.85}),
    ("Detect moths with mAP not less than 40 percent", {"AP": 0.4}),
    ("Our old model reached 70% accuracy; the new one must reach 85% accuracy. Classify cats and dogs.",
     {"accuracy": 0.85}),
    ("Classify cats and dogs; the accuracy target changed: it was 0.7, now it is 0.8.", {"accuracy": 0.8}),
    ("Segment moss, between 0.6 and 0.65 mIoU, at least 0.6 is a must", {"mIoU": 0.6}),
    ("Classify cats and dogs, at least ninety percent accurate", {"accuracy": 0.9}),
    ("Classify cats and dogs. Our baseline is 0.7 accuracy; we need 0.8.", {"accuracy": 0.8}),
    ("Detect kites, quick and reasonably accurate, mAP 0.5", {"AP": 0.5}),
    ("Detect kites, mAP@[.5:.95] of 0.4", {"AP": 0.4}),
    ("Detect kites, mAP@0.5 of 0.6", {"AP50": 0.6}),
])
def test_metric_values_in_other_sentences_and_orders(text, expect):
    assert metrics_of(text) == pytest.approx(expect)


@pytest.mark.parametrize("text,key,expect", [
    ("classify cats and dogs, less than 4 millions parameters", "parameters", (4, "M")),
    ("classify cats and dogs, it must fit in a million parameters", "parameters", (1, "M")),
    ("classify cats and dogs under half a million parameters", "parameters", (0.5, "M")),
    ("classify cats and dogs with fewer than 200 thousand parameters", "parameters", (200, "K")),
    ("classify cats and dogs within three gigaflops", "flops", (3, "GFLOPs")),
    ("detect cars at 25 frames in one second", "speed", (25, "fps")),
    ("sort oranges at 40 oranges per second", "speed", (40, "fps")),
    ("detect cars in three quarters of a second", "speed", (0.75, "s")),
    ("detect cars in less than a half second", "speed", (0.5, "s")),
    ("classify cats and dogs with two and a half million parameters", "parameters", (2.5, "M")),
    ("classify cats and dogs, one point five million parameters at most", "parameters", (1.5, "M")),
    ("task=detection; objects=cars; fps>=25", "speed", (25, "fps")),
    ("detect cars, sub-20ms on GPU", "speed", (20, "ms")),
    ("classify cats and dogs with fewer than 3e6 parameters", "parameters", (3e6 / 1e6, "M")),
    ("classify cats and dogs, a 2.5M-param model", "parameters", (2.5, "M")),
    ("classify page rotation (0, 90, 180 or 270 degrees) in 5 ms", "speed", (5, "ms")),
])
def test_units_in_words(text, key, expect):
    q = p(text)["model"][key]
    assert q["value"] == pytest.approx(expect[0]) and q["unit"] == expect[1]


@pytest.mark.parametrize("text,speed", [
    ("About 20% of our photos are dark. Detect foxes at 10 fps.", (10, "fps")),
    ("Each unit costs $250. Detect foxes at 10 fps.", (10, "fps")),
    ("The barn is watched 12 hours a day. Detect foxes at 10 fps.", (10, "fps")),
    ("Pose of 2 to 3 climbers per photo at 10 fps", (10, "fps")),
    ("For 24/7 monitoring, detect foxes at 10 fps", (10, "fps")),
    ("The camera sits 1.5 m above the gate. Detect foxes at 10 fps.", (10, "fps")),
    ("There are 30 frames per second from the camera, but the model needs only 10 fps. Detect foxes.", (10, "fps")),
])
def test_situation_numbers_are_not_requirements(text, speed):
    s = p(text)["model"]["speed"]
    assert (s["value"], s["unit"]) == speed


def test_devices_named_for_training_and_arm():
    assert p("Train on whatever GPU you like; detect foxes on the CPU of our box")["deploy"]["gpu"] == "cpu"
    assert p("We have a GPU for training only. Detect foxes on a CPU.")["deploy"]["gpu"] == "cpu"
    assert p("detect foxes with ncnn on ARM")["deploy"]["gpu"] == "cpu"
    assert p("detect foxes in the raspberry, 5 fps")["deploy"]["gpu"] == "cpu"
    assert p("detect foxes on a GPU-less box")["deploy"]["gpu"] == "cpu"
    assert p("detect foxes on a normal computer, no graphic card")["deploy"]["gpu"] == "cpu"
    assert p("detect foxes on an AMD Ryzen laptop")["deploy"]["gpu"] == "cpu"
    assert p("detect foxes with ONNX RT")["deploy"]["inference engine"] == "onnxruntime"


def test_model_named_now_wins_over_backbones_and_past_tries():
    assert p("Detect foxes with a ResNet-based Faster R-CNN")["model"]["specific_model"] == "Faster R-CNN"
    assert p("We tried a VGG16 last year but it was slow; this time we want a MobileNetV2 to classify cats "
             "and dogs")["model"]["specific_model"] == "MobileNetV2"
    assert p("We have a YOLOv5 already but we'd like to switch to RT-DETR for detecting boats")["model"][
        "specific_model"] == "RT-DETR"
    assert p("Use a ConvNeXt Tiny to classify cats and dogs")["model"]["specific_model"] == "ConvNeXt Tiny"
    assert p("a YOLOX small enough for a phone to detect cats")["model"]["specific_model"] == "YOLOX"


@pytest.mark.parametrize("text,key,expect", [
    ("Detect owls, hawks and crows in barn photos - no wait, only owls and hawks.", "object", ["owl", "hawk"]),
    ("Detect owls. Actually make it owls and bats.", "object", ["owl", "bat"]),
    ("Detect owls at 20 fps, no wait, make that 30.", "speed", {"value": 30, "unit": "fps"}),
    ("Segment moss, mIoU 0.7 - no, dice 0.7 - on roofs", "metrics", [{"name": "dice", "value": 0.7}]),
    ("Detect owls at 20 fps. Sorry, 25 fps.", "speed", {"value": 25, "unit": "fps"}),
    ("Detect owls - I mean barn owls - in attics", "task", "detection"),
    ("Pose estimation of yoga poses? no - of yoga students, 25 fps", "object", ["yoga student"]),
    ("Estimate the pose of the rider and the horse? Actually only the horse. AP 0.7", "object", ["horse"]),
    ("Classify the noise level... no, sorry, the crowd density in photos as low or high", "object", ["low", "high"]),
    ("Keypoints of robots' joints? No - of the workers next to the robots. AP 0.6", "object", ["worker"]),
    ("Classify the drawing... sorry, the photo of each beetle into weevil or ladybird", "object", ["weevil", "ladybird"]),
])
def test_corrections_of_lists_numbers_metrics(text, key, expect):
    r = p(text)
    got = r["data"]["object"] if key == "object" else r["model"][key]
    assert got == expect


@pytest.mark.parametrize("text,objects", [
    ("The app must choose between latte, mocha and flat white from a photo", ["latte", "mocha", "flat white"]),
    ("Which of hammer, saw or drill is on the bench? accuracy 0.9", ["hammer", "saw", "drill"]),
    ("Is the parcel wet or dry? recall 0.9", ["wet parcel", "dry parcel"]),
    ("Is the traffic light red, amber or green? 5 ms on GPU", ["red traffic light", "amber traffic light",
                                                              "green traffic light"]),
    ("seg | river, bank, reed | 20fps | tensorrt gpu", ["river", "bank", "reed"]),
    ('a classifier with labels "fine" and "not fine" for welds', ["fine", "not fine"]),
    ("Our classes: fresh; stale; mouldy. Bread photos, classification.", ["fresh", "stale", "mouldy"]),
    ("Classify: 1) oak leaf 2) ash leaf 3) elm leaf. Accuracy 0.9.", ["oak leaf", "ash leaf", "elm leaf"]),
    ("Detect damaged crates, forklifts and pallets in depot images", ["damaged crate", "forklift", "pallet"]),
    ("A fast, robust segmentation model for the rear parking camera that outlines kerbs and bollards",
     ["kerb", "bollard"]),
    ("Detect every trolley left in the car park", ["trolley"]),
    ("Estimate keypoints for the players, the ball is not needed", ["player"]),
    ("Detect cars and vans, oh and also buses, in street photos", ["car", "van", "bus"]),
    ("Segment lakes and fields, as well as roads, in satellite tiles", ["lake", "field", "road"]),
    ("Detect apples and pears. Oh, and plums too.", ["apple", "pear", "plum"]),
    ("Lorries and vans at the gate camera - detect them. AP 0.6.", ["lorry", "van"]),
    ("Detect up to 40 people per frame in the hall", ["person"]),
    ("Keypoints on the beaks and wings of geese, AP 0.6", ["goose"]),
    ("Keypoints on cows' legs for lameness scoring", ["cow"]),
    ("Keypoints of 17 body joints for hockey players", ["hockey player"]),
    ("Detect, on each conveyor image, the labels and barcodes", ["label", "barcode"]),
    ("Detect defects on welds, specifically cracks and pores", ["crack", "pore"]),
    ("Detect the presence and position of bolts and nuts", ["bolt", "nut"]),
    # the kind of the classes when none is named (three blind writers' golds; ru_tune_d w-24's gold says [])
    ("Classify 10 dog breeds with top-1 accuracy 0.8", ["dog"]),
    ("An app that looks at a leaf photo and says healthy or blighted", ["healthy", "blighted"]),
    ("keypoints, hands of violinists, PCK 0.9, 60fps", ["hands of violinist"]),
    ("Detect ten kinds of birds? No - only robins and wrens.", ["robin", "wren"]),
    ("The camera should notice the deer and the boar at the fence", ["deer", "boar"]),
    ("Could a model look at close-up photos of the plants and point out the aphids?", ["aphid"]),
    ("I need segmentation. What: the lawn. Where: gardens. Quality: 0.8 mIoU.", ["lawn"]),
    ("Detect manholes; if possible also storm drains. AP 0.6", ["manhole", "storm drain"]),
    ("See if the cyclists wear their helmets or not, recall 0.9", ["helmet", "no helmet"]),
    ("Classify coins: 1 cent, 5 cents, 10 cents. Accuracy 0.95.", ["1 cent", "5 cent", "10 cent"]),
    ("Detect vans along with lorries and buses on the road", ["van", "lorry", "bus"]),
    ("A classifier that decides if a parking bay is free or taken", ["free", "taken"]),
    ("Segment, please, the cracks in old walls", ["crack"]),
    ("Can it detect when my cat jumps on the table?", ["cat"]),
    ("A model that picks up on early signs of blight and rust on tomato leaves", ["blight", "rust"]),
    ("Can a model tell the apple cultivars Gala, Fuji and Braeburn from each other?", ["Gala", "Fuji", "Braeburn"]),
    ("Classify each frame as step 1, step 2 or step 3 of the recipe", ["step 1", "step 2", "step 3"]),
    ("Classify colonies as E. coli or Salmonella", ["E coli", "Salmonella"]),
    ("Segment the road and the kerb for a delivery robot, plus obstacles", ["road", "kerb", "obstacle"]),
    ("Grade pears (unripe/ripe/overripe) from photos", ["unripe", "ripe", "overripe"]),
    ("Classify eggs by species and size? No, just species: robin, wren, tit. Accuracy 0.8.", ["robin", "wren", "tit"]),
    ("Pose estimation in real time (30 fps) for jugglers, not on GPU", ["juggler"]),
])
def test_object_list_shapes(text, objects):
    assert p(text)["data"]["object"] == objects


# ----------------------------------------------------------------------------- issue 13, second pass (2026-12-04)

@pytest.mark.parametrize("text,key,expect", [
    # corrections: "correction:" (its marker never matched before), removals, whole withdrawn statements
    ("Detect wasps. Use ncnn on the ARM board... correction: OpenVINO on a CPU. 10 fps.", "inference engine", "openvino"),
    ("Classify plates, cups and bowls, actually drop the cups. Accuracy 0.9.", "object", ["plate", "bowl"]),
    ("Segment kelp. It should run on the GPU box - scratch that, the divers want it on laptops without a GPU.",
     "gpu", "cpu"),
    ("Segment kelp with a PSPNet. Scratch that, our intern says UNet is better, use that.", "specific_model", "UNet"),
    ("Keypoints for cows, er, horses actually, in stable footage.", "object", ["horse"]),
    ("Detect kites at nine frames a second, make that twelve.", "speed", {"value": 12, "unit": "fps"}),
    ("Detect kites with TensorRT. No, actually ONNX Runtime.", "inference engine", "onnxruntime"),
    ("Pose of dancers with HRNet-W32 - correction, RTMPose-s.", "specific_model", "RTMPose-s"),
    ("Segment moss with an mIoU of 0.8. Oh, it should be Dice, not mIoU: Dice 0.8.", "metrics",
     [{"name": "dice", "value": 0.8}]),
    # limits: a later limit that revises the earlier one, units written first, numbers that are no limits
    ("Segment kerbs at 25 fps. Hmm, 25 is too ambitious, 12 fps is enough.", "speed", {"value": 12, "unit": "fps"}),
    ("det | classes: gull, tern | GFLOPs < 6 | TRT", "flops", {"value": 6, "unit": "GFLOPs"}),
    ("Detect litter on a Raspberry Pi Zero 2 with ncnn, under 1M parameters.", "parameters", {"value": 1, "unit": "M"}),
    ("We fitted a 4K camera at 25 frames per second over the till. Detect coins and notes.", "speed",
     {"value": 0, "unit": "none"}),
    # devices and models
    ("Classify moths; we don't need any fancy TensorRT stuff, ONNX Runtime is fine.", "inference engine",
     "onnxruntime"),
    ("Detect geese. YOLOv8 would be overkill; an RTMDet-tiny instead.", "specific_model", "RTMDet-tiny"),
])
def test_second_pass_corrections_limits_devices(text, key, expect):
    r = p(text)
    got = r["data"]["object"] if key == "object" else r["deploy"][key] if key in ("gpu", "inference engine") \
        else r["model"][key]
    assert got == expect


@pytest.mark.parametrize("text,objects", [
    ("Count pigeons, specifically wood pigeons, feral pigeons and doves, on the roof", ["wood pigeon", "feral pigeon",
                                                                                     "dove"]),
    ("We are three people (two engineers and a cat named Bit). Segment every pixel as grass, path or pond.",
     ["grass", "path", "pond"]),
    ("cls. classes=[ripe fig, unripe fig]. acc>=0.9", ["ripe fig", "unripe fig"]),
    ("I want to classify the kind of cheese, is it brie, gouda or feta?", ["brie", "gouda", "feta"]),
    ("Detect the crates which are damaged and the crates which have no barcode", ["damaged crate",
                                                                                 "crate without barcode"]),
    ("Detect cyclists with helmets, cyclists without helmets and joggers", ["cyclist with helmet",
                                                                           "cyclist without helmet", "jogger"]),
    ("Put a bounding box around every heron and every egret in the pond camera", ["heron", "egret"]),
    ("Detect tin can vs glass jar vs milk carton on the belt", ["tin can", "glass jar", "milk carton"]),
    ("We want lichens and mosses separated pixel-wise on the gravestone photos", ["lichen", "moss"]),
    ("Subject: detector\n\nHi,\n\nwe need boxes around forklifts and pallets.\n\nBest,\nAnna", ["forklift", "pallet"]),
    ("A program that marks which pixels of a beach photo are sand and which are sea", ["sand", "sea"]),
    ("Dots on each climber's shoulders, hips and knees, 20 fps", ["climber"]),
    ("Find the beak tip, the tail end and the wing tips of each sparrow, 0.3 s a photo", ["sparrow"]),
    ("need keypoints (tip + base) on the chopsticks, ncnn", ["chopstick"]),
    ("The classes are oak, ash. Sorry, the ash is gone now: so the classes are oak and beech.", ["oak", "beech"]),
    ("Count cars and vans, broken down by hour, on the bridge", ["car", "van"]),
])
def test_second_pass_object_list_shapes(text, objects):
    assert p(text)["data"]["object"] == objects


@pytest.mark.parametrize("text,task", [
    ("Could a program draw a rectangle around each swan in the lake photos?", "detection"),
    ("Software that paints the rust and the bare metal on ship photos in different colours", "segmentation"),
    ("Find where the joints are on climbers in the gym footage", "keypoint"),
    ("Find the head, the thorax and the abdomen of each wasp in the photos", "keypoint"),
])
def test_second_pass_outcomes_are_guessed_and_say_so(text, task):
    got, note = task_of(text)
    assert got == task and note


def test_second_pass_numbers_named_or_repeated_are_no_refusal_but_bare_limits_still_are():
    assert p("Segment roads at 20 fps. Hmm, 20 is a lot; 20 fps is the limit.")["model"]["speed"] == {"value": 20,
                                                                                                     "unit": "fps"}
    with pytest.raises(RequestError, match="has no unit"):
        parse_request("Detect cars with latency under 40 on the Jetson")


@pytest.mark.parametrize("text,key,expect", [
    # e-mails, chats, dictation, decimal commas, glued units
    ("Subject: Re: model\n\n> is 60 ms ok?\nNo. 40 ms max, detect forklifts on the Jetson.\n\nBest,\nAnna", "speed",
     {"value": 40, "unit": "ms"}),
    ("[10:02] bob: need a detector for gulls, 12 fps on cpu", "speed", {"value": 12, "unit": "fps"}),
    ("segment the road uh and the kerb um the mean i o u needs to be point eight", "metrics",
     [{"name": "mIoU", "value": 0.8}]),
    ("Classify moths. The accuracy must be 0,91 at least, and the model not over 2Mparams.", "parameters",
     {"value": 2, "unit": "M"}),
    ("Classify moths. The accuracy must be 0,91 at least.", "metrics", [{"name": "accuracy", "value": 0.91}]),
    # baselines, ranges, equipment, devices
    ("Our current model runs at 7 fps. We need a detector for kites at 15 fps or more.", "speed",
     {"value": 15, "unit": "fps"}),
    ("Detect kites, throughput between 18 and 24 fps.", "speed", {"value": 18, "unit": "fps"}),
    ("Our hall cameras (1080p, 50 fps) watch the aisle. Detect carts and trolleys.", "speed", {"value": 0, "unit": "none"}),
    ("Detect kites in beach photos. GPU optional.", "gpu", "none"),
    ("Detect kites; we don't need any fancy TensorRT stuff.", "inference engine", "none"),
    ("Detect kites. We originally asked for TensorRT, but please switch to OpenVINO.", "inference engine", "openvino"),
    # models and metrics
    ("Our current PSPNet gets 0.6 mIoU; we'd like a replacement, any architecture, that segments ponds at 0.7 mIoU.",
     "specific_model", "none"),
    ("Classify tiles, we prefer a Swin Transformer, precisely the Swin-T.", "specific_model", "Swin-T"),
    ("Segment ponds. Our metric was mIoU with a 0.7 target; the partners want Dice instead.", "metrics",
     [{"name": "dice", "value": 0.7}]),
])
def test_third_pass_channels_baselines_devices(text, key, expect):
    r = p(text)
    got = r["deploy"][key] if key in ("gpu", "inference engine") else r["model"][key]
    assert got == expect


@pytest.mark.parametrize("text,objects", [
    ("Detect deer and boar on the trail cams. Hikers and dogs appear too but are not classes.", ["deer", "boar"]),
    ("Detect the ball and every player, referees excluded.", ["ball", "player"]),
    ("Classify moths into the 80 species at our station from photographs of moths", ["moth"]),
    ("Keypoints of each heron: bill tip, neck base and tail of each heron", ["heron"]),
    ("Find the beak, the wing tips and the tail of each swallow in the photos", ["swallow"]),
    ("Segment roads, roofs and water; actually leave water out, and add trees instead.", ["road", "roof", "tree"]),
    ("Detect vans and lorries. Scratch lorries, I meant buses.", ["van", "bus"]),
    ("Classify ceramic tiles: cracked tile, chipped tile. Oh and a 3rd one: glaze bubble.",
     ["cracked tile", "chipped tile", "glaze bubble"]),
    ("I need boxes drawn around aphids/whiteflies on the leaves", ["aphid", "whitefly"]),
    ("Detect in the warehouse: pallet; forklift; hand truck; and cones (the orange ones).",
     ["pallet", "forklift", "hand truck", "cone"]),
])
def test_third_pass_object_lists(text, objects):
    assert p(text)["data"]["object"] == objects


# ----------------------------------------------------------------------------- issue 13, fourth pass (tuning sets w..aa)

@pytest.mark.parametrize("text,key,expect", [
    # a share describing the situation is no requirement; a bare one framed as a limit is still refused (above)
    ("About 12% of our bottles are rejected today. Classify bottle photos as sealed or leaking, accuracy 0.95.",
     "metrics", [{"name": "accuracy", "value": 0.95}]),
    # digit groups and raw counts
    ("Classify stamps; the model may have at most 4 500 000 parameters.", "parameters", {"value": 4.5, "unit": "M"}),
    ("Classify stamps. Parameters no more than 3.000.000 (three million).", "parameters", {"value": 3, "unit": "M"}),
    ("Classify stamps, less than 2 millions of parameters.", "parameters", {"value": 2, "unit": "M"}),
    ("Classify stamps, FLOPs not over 1,5 giga.", "flops", {"value": 1.5, "unit": "GFLOPs"}),
    ("Classify stamps in under 40 mili seconds.", "speed", {"value": 40, "unit": "ms"}),
    # withdrawn limits
    ("Detect owls under 300 MFLOPs and 25 ms. Hmm, forget the FLOPs limit.", "flops", {"value": 0, "unit": "none"}),
    ("Detect owls with recall 0.9 and precision 0.8. Drop the precision target.", "metrics",
     [{"name": "recall", "value": 0.9}]),
    # pasted specs
    ('kiln cam spec: {"task": "det", "labels": ["crack", "warp"], "max_latency_ms": 35, "engine": "openvino"}',
     "speed", {"value": 35, "unit": "ms"}),
])
def test_fourth_pass_numbers_retractions_specs(text, key, expect):
    r = p(text)
    assert r["model"][key] == expect


@pytest.mark.parametrize("text,key,expect", [
    ("Segment rust. We first planned OpenVINO but switched: use ncnn on the board.", "inference engine", "ncnn"),
    ("Detect gulls. Not on the Jetson after all: it runs on an RTX 4090.", "gpu", "gpu"),
    ("Detect gulls; the model will never see a GPU.", "gpu", "cpu"),
])
def test_fourth_pass_revised_deploy(text, key, expect):
    assert p(text)["deploy"][key] == expect


@pytest.mark.parametrize("text,objects", [
    ("pls need seg model asap 4 oil spills in harbour pics thx", ["oil spill"]),
    ("kpts for trampolinists in gym vids, PCK 0.8", ["trampolinist"]),
    ("Pose est. \u2192 alpacas in the paddock", ["alpaca"]),
    ("det model for wasps n moths on sticky traps", ["wasp", "moth"]),
    ("Mask every puddle and every oil stain on the car-park photos.", ["puddle", "oil stain"]),
    ("Can it stay under 20 ms? Herons and egrets are to be detected on the lake camera.", ["heron", "egret"]),
    ("Detect kayaks and canoes. Also add paddleboards.", ["kayak", "canoe", "paddleboard"]),
    ("task=segmentation ; classes=lichen, moss ; runtime=ncnn", ["lichen", "moss"]),
])
def test_fourth_pass_object_lists(text, objects):
    assert p(text)["data"]["object"] == objects
