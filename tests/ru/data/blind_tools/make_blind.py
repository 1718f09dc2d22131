"""Builds /work/blind/ru_blind.jsonl (+ ru_blind_styles.tsv) from hand-written entries.

Every gold parse below was written by hand from the request text and SCHEMA.md,
without reference to any parser code or parser output.
"""
import json

ENTRIES = []


def E(style, task, req, objs, model="none", speed=(0, "none"), flops=(0, "none"),
      params=(0, "none"), metrics=(), gpu="none", eng="none", modality="rgb", specific=()):
    ENTRIES.append({
        "style": style,
        "requirement": req,
        "parse": {
            "data": {"object": list(objs), "modality": modality, "specific": list(specific)},
            "model": {
                "task": task,
                "specific_model": model,
                "speed": {"value": speed[0], "unit": speed[1]},
                "flops": {"value": flops[0], "unit": flops[1]},
                "parameters": {"value": params[0], "unit": params[1]},
                "metrics": [{"name": n, "value": v} for n, v in metrics],
            },
            "deploy": {"gpu": gpu, "inference engine": eng},
        },
    })


CLS, DET, SEG, KPT = "classification", "detection", "segmentation", "keypoint"

# ---------------------------------------------------------------- chatty
S = "chatty"
E(S, CLS, "Hi there! So I run a small bakery in Lyon with my sister, and last month we finally got one of those "
  "self-checkout counters where customers put their pastry on a tray and a camera above looks at it. The vendor's "
  "software is awful, it keeps calling everything a baguette, lol. What I'd love is a model that can tell cinnamon rolls, "
  "eclairs and macarons apart. My nephew says it should be at least 93% accurate to be worth it. The counter "
  "has a little Intel box inside with no graphics card at all, and he says we should use OpenVINO on it. Anyway, "
  "thanks a lot, and if you're ever in Lyon come by!",
  ["cinnamon roll", "eclair", "macaron"], metrics=[("accuracy", 0.93)], gpu="cpu", eng="openvino")
E(S, CLS, "Long story short: I volunteer at a wildlife rescue centre and we get hundreds of trail camera photos every "
  "week, mostly blurry. Last winter we tried some app from the store but it thought every hedgehog was a rock. What "
  "I'm after is an image classifier that says whether the photo shows a hedgehog, a fox or a badger. We don't have "
  "fancy hardware - the thing will run on a Raspberry Pi 4 in the shed - so keep it under 3M parameters. Each photo "
  "may take up to 2 seconds, nobody is in a hurry. Cheers, Martha",
  ["hedgehog", "fox", "badger"], speed=(2, "s"), params=(3, "M"), gpu="cpu")
E(S, DET, "Okay so, context: I'm the ops lead at a mid-sized logistics hub outside Rotterdam, about 40 loading docks, "
  "three shifts, and frankly too much coffee. Our safety officer keeps asking for some vision thing after a near-miss "
  "in March. Can you build us a detector for forklifts and pedestrians in the dock area? The cameras are the old "
  "Axis ones, plain RGB, nothing special. It needs to hit an mAP of 0.55, and we'd run it on the NVIDIA GPU in the "
  "server room with TensorRT. The previous integrator quoted us six months, so no pressure :)",
  ["forklift", "pedestrian"], metrics=[("AP", 0.55)], gpu="gpu", eng="tensorrt")
E(S, DET, "My daughter's school asked parents to help with a science fair project and somehow I volunteered, so here "
  "I am. The kids want to count birds at the feeder in our garden, so I guess that means drawing boxes around each "
  "bird, specifically sparrows, blue tits and robins. We've got an old laptop without a GPU that will sit by the "
  "window, and it should manage 5 frames per second. The kids read that YOLO is the cool thing, so please make it a "
  "YOLOv5. Thanks, and sorry for the long message!",
  ["sparrow", "blue tit", "robin"], model="YOLOv5", speed=(5, "fps"), gpu="cpu")
E(S, SEG, "We're a tiny startup (three people and a dog named Pixel) doing precision agriculture in Andalusia. We fly "
  "a drone over olive groves and up to now we've been eyeballing the images by hand. What we want is a segmentation "
  "model that labels every pixel as olive tree canopy, bare soil or irrigation pond. Our investor demo is in two "
  "weeks! It should reach an mIoU of 0.7 and fit under 20M parameters, because one day we might run it on the drone "
  "itself. For now it just runs in the cloud, no special inference engine.",
  ["olive tree canopy", "bare soil", "irrigation pond"], params=(20, "M"), metrics=[("mIoU", 0.7)])
E(S, SEG, "Apologies in advance for the wall of text. I'm a radiology resident, and in my spare time I've been helping "
  "our department with a research project on knee MRI. The scans are grayscale, obviously. Hospital IT only allows "
  "CPU-only machines for research (don't ask), and they've standardised on ONNX Runtime. We need to segment the "
  "femoral cartilage and the tibial cartilage. A Dice of 0.85 is what reviewers would accept, judging by prior "
  "papers, and each slice can take up to half a second.",
  ["femoral cartilage", "tibial cartilage"], speed=(0.5, "s"), metrics=[("dice", 0.85)], gpu="cpu",
  eng="onnxruntime", modality="grayscale")
E(S, KPT, "Hello! I coach an amateur rowing club and we film training sessions from the pontoon with a GoPro. I read "
  "that AI can track body positions now, which would be amazing for technique feedback. Could you make something "
  "that estimates the keypoints of rowers? Some of the members are tech people and they said it should reach an AP "
  "of 0.68 and run at 25 fps on the club's gaming PC, which has an RTX 3060 GPU. One of them also insists on HRNet, "
  "whatever that is.",
  ["rower"], model="HRNet", speed=(25, "fps"), metrics=[("AP", 0.68)], gpu="gpu")
E(S, KPT, "So I have this hobby: I breed racing pigeons (don't laugh) and I want to analyse their posture in the loft. "
  "The loft is dark most of the day, so I set up a cheap infrared camera. I need a model that locates the body "
  "keypoints of each pigeon. It'll run on a little ARM board next to the loft, using ncnn since that's what the "
  "forum people recommend. Keep the model under 1.5 million parameters please, the board is tiny.",
  ["pigeon"], params=(1.5, "M"), gpu="cpu", eng="ncnn", modality="infrared")

# ---------------------------------------------------------------- terse spec sheet
S = "terse"
E(S, CLS, "task: cls. classes: basalt, granite, marble. acc >= 0.9. params <= 4M. engine: ncnn. hw: ARM cpu.",
  ["basalt", "granite", "marble"], params=(4, "M"), metrics=[("accuracy", 0.9)], gpu="cpu", eng="ncnn")
E(S, CLS, "TYPE: classification | LABELS: espresso, cappuccino, latte | MODEL: EfficientNet-B0 | LATENCY: <= 12 ms | "
  "DEVICE: GPU | RUNTIME: TensorRT",
  ["espresso", "cappuccino", "latte"], model="EfficientNet-B0", speed=(12, "ms"), gpu="gpu", eng="tensorrt")
E(S, DET, "task: det. classes: pallet jack, roll cage. >=25fps, TRT, jetson",
  ["pallet jack", "roll cage"], speed=(25, "fps"), gpu="gpu", eng="tensorrt")
E(S, DET, "det / objs: paraglider, hot-air balloon / mAP 0.6, recall 0.8 / <= 8 GFLOPs / onnxruntime / cpu",
  ["paraglider", "hot-air balloon"], flops=(8, "GFLOPs"), metrics=[("AP", 0.6), ("recall", 0.8)], gpu="cpu", eng="onnxruntime")
E(S, SEG, "seg. classes=[sugar beet, thistle]. mIoU>=0.72. 30fps. GPU. TensorRT. model: BiSeNetV2.",
  ["sugar beet", "thistle"], model="BiSeNetV2", speed=(30, "fps"), metrics=[("mIoU", 0.72)], gpu="gpu", eng="tensorrt")
E(S, SEG, "Req: semantic seg | input: grayscale CT | targets: pancreas, pancreatic cyst | dice >= 0.9 | params < 30M | runtime: OpenVINO",
  ["pancreas", "pancreatic cyst"], params=(30, "M"), metrics=[("dice", 0.9)], eng="openvino", modality="grayscale")
E(S, KPT, "task=pose; target=foot; PCK>=0.9; latency<=5ms; gpu; onnxruntime",
  ["foot"], speed=(5, "ms"), metrics=[("PCK", 0.9)], gpu="gpu", eng="onnxruntime")
E(S, KPT, "pose est. // target: alpaca // model: RTMPose-s // <= 600 MFLOPs // AP >= 0.7 // hw: raspberry pi 4",
  ["alpaca"], model="RTMPose-s", flops=(600, "MFLOPs"), metrics=[("AP", 0.7)], gpu="cpu")

# ---------------------------------------------------------------- non-native English
S = "non-native"
E(S, CLS, "I want make model for classify the type of fabric, is it cotton or silk or wool, from photo of microscope "
  "camera. Accuracy must be more than 88 percent. We are deploy on computer which have not GPU, using onnx runtime.",
  ["cotton", "silk", "wool"], metrics=[("accuracy", 0.88)], gpu="cpu", eng="onnxruntime")
E(S, CLS, "Please help, need classification model which can say if the mango is ripe or unripe. Model should be "
  "small, not more than 500K parameter, and speed is 20 millisecond for one image. Use MobileNetV3 please.",
  ["ripe mango", "unripe mango"], model="MobileNetV3", speed=(20, "ms"), params=(500, "K"))
E(S, DET, "We has factory of bottles and want detect the bottles which is broken and the bottles which have no label "
  "on the conveyor. Precision need to be 95% at least. Model will run in Jetson Nano with TensorRT.",
  ["broken bottle", "bottle without label"], metrics=[("precision", 0.95)], gpu="gpu", eng="tensorrt")
E(S, DET, "In our supermarket we want detect the persons and the shopping carts from ceiling camera. Need 15 FPS "
  "minimum, model should be Faster RCNN, and computation less than 150 GFLOPs.",
  ["person", "shopping cart"], model="Faster RCNN", speed=(15, "fps"), flops=(150, "GFLOPs"))
E(S, SEG, "I am doing research of cell in microscope, need to segmentation the nucleus and the cytoplasm. Images is "
  "grayscale. The mIoU should reach to 0.8, and model parameter below 10 million. No need special engine, but must "
  "run on GPU.",
  ["nucleus", "cytoplasm"], params=(10, "M"), metrics=[("mIoU", 0.8)], gpu="gpu", modality="grayscale")
E(S, SEG, "we want to segment the graffiti on the image of bridge taken by drone, also the peeling paint. use UNet. time for one image "
  "not more 200 ms, on cpu with openvino.",
  ["graffiti", "peeling paint"], model="UNet", speed=(200, "ms"), gpu="cpu", eng="openvino")
E(S, KPT, "My company make fitness mirror, need the model for find keypoint of person who do exercise. It must run 30 "
  "fps on the mirror; mirror have Rockchip ARM CPU, no GPU, and we use ncnn. AP should more than 0.65.",
  ["person"], speed=(30, "fps"), metrics=[("AP", 0.65)], gpu="cpu", eng="ncnn")
E(S, KPT, "Need pose estimation for camel in racing video. Model name is ViTPose, parameter less than 0.3B. Inference "
  "by TensorRT on the GPU server.",
  ["camel"], model="ViTPose", params=(0.3, "B"), gpu="gpu", eng="tensorrt")

# ---------------------------------------------------------------- units in words
S = "units-in-words"
E(S, CLS, "Build a classifier that sorts photos of hardware store items into tape measures, spirit levels and hand saws. It "
  "should take no more than fifteen milliseconds per image and have fewer than two million parameters.",
  ["tape measure", "spirit level", "hand saw"], speed=(15, "ms"), params=(2, "M"))
E(S, CLS, "I need an image classifier for cat breeds: Siamese, Persian and Maine Coon. Keep the compute to half a "
  "gigaflop, and I'd like ninety-four percent accuracy.",
  ["Siamese", "Persian", "Maine Coon"], flops=(0.5, "GFLOPs"), metrics=[("accuracy", 0.94)])
E(S, DET, "Detect kayaks and swimmers in lake footage at thirty frames per second, with no more than eight hundred "
  "thousand parameters, on an NVIDIA GPU.",
  ["kayak", "swimmer"], speed=(30, "fps"), params=(800, "K"), gpu="gpu")
E(S, DET, "We need to detect life jackets and lifebuoys on ferry decks. A quarter of a second per image is "
  "acceptable, compute must stay under two hundred megaflops, and the mean average precision has to be at least "
  "zero point six.",
  ["life jacket", "lifebuoy"], speed=(0.25, "s"), flops=(200, "MFLOPs"), metrics=[("AP", 0.6)])
E(S, SEG, "Segment tumour tissue in whole-slide pathology images. It runs offline, so up to two minutes per slide is "
  "fine. The Dice score must be at least eighty-two percent.",
  ["tumour tissue"], speed=(2, "min"), metrics=[("dice", 0.82)])
E(S, SEG, "Segment sand dunes and dry riverbeds in satellite imagery with a model of at most fifty million parameters "
  "and at most one teraflop of compute; the mean IoU should be at least zero point seven.",
  ["sand dune", "dry riverbed"], flops=(1, "TFLOPs"), params=(50, "M"), metrics=[("mIoU", 0.7)])
E(S, KPT, "Estimate keypoints of jugglers at a circus rehearsal in under forty milliseconds per frame, with an AP of at least "
  "seventy percent.",
  ["juggler"], speed=(40, "ms"), metrics=[("AP", 0.7)])
E(S, KPT, "Estimate body keypoints of sleeping infants in infrared baby-monitor images: at most three hundred thousand "
  "parameters, sixty frames per second, CPU only.",
  ["infant"], speed=(60, "fps"), params=(300, "K"), gpu="cpu", modality="infrared")

# ---------------------------------------------------------------- corrections
S = "correction"
E(S, CLS, "Classify farmyard photos into chickens and ducks, no wait, only chickens and geese. Accuracy 0.9.",
  ["chicken", "goose"], metrics=[("accuracy", 0.9)])
E(S, CLS, "We want a ResNet-18 for telling apart rice, lentils and chickpeas - sorry, make that a ResNet-34. Latency under "
  "8 ms on a GPU.",
  ["rice", "lentils", "chickpeas"], model="ResNet-34", speed=(8, "ms"), gpu="gpu")
E(S, DET, "Detect vans, campers and motorcycles on the highway; actually drop the motorcycles, just vans and campers. Use ONNX "
  "Runtime on CPU... correction: OpenVINO on CPU. At least 12 fps.",
  ["van", "camper"], speed=(12, "fps"), gpu="cpu", eng="openvino")
E(S, DET, "Detect chips and hairline cracks on ceramic tiles. Parameters below 40M - I mean 25M. mAP 0.5.",
  ["chip", "hairline crack"], params=(25, "M"), metrics=[("AP", 0.5)])
E(S, SEG, "Segment thyroid nodules in grayscale ultrasound scans with an mIoU of 0.85. Oh, it should be Dice, not mIoU: Dice 0.85. "
  "Deploy with TensorRT.",
  ["thyroid nodule"], metrics=[("dice", 0.85)], eng="tensorrt", modality="grayscale")
E(S, SEG, "Segment vine rows and tractor tracks for a vineyard robot at 20 fps. Hmm, 20 is too ambitious, 10 fps is "
  "enough. It must run on the robot's Jetson Orin.",
  ["vine row", "tractor track"], speed=(10, "fps"), gpu="gpu")
E(S, KPT, "Pose estimation for badminton players with YOLOv8-pose - no, let's go with RTMPose-m instead. Under 5 GFLOPs.",
  ["badminton player"], model="RTMPose-m", flops=(5, "GFLOPs"))
E(S, KPT, "I need keypoints for sheep, er, goats actually, in barn cameras. Run it with ncnn on a Raspberry Pi within "
  "300 ms.",
  ["goat"], speed=(300, "ms"), gpu="cpu", eng="ncnn")

# ---------------------------------------------------------------- many constraints in one sentence
S = "multi-constraint"
E(S, CLS, "Classify gemstones as ruby, sapphire or emerald with at least 97% recall, under 10 ms per image on a GPU with "
  "TensorRT, and no more than 25M parameters.",
  ["ruby", "sapphire", "emerald"], speed=(10, "ms"), params=(25, "M"), metrics=[("recall", 0.97)], gpu="gpu", eng="tensorrt")
E(S, CLS, "I need a MobileNetV2 classifier for stop signs, yield signs and speed limit signs that reaches 0.95 "
  "accuracy and an F1 of 0.93 while staying below 300 MFLOPs and running with ncnn on an Android phone's CPU.",
  ["stop sign", "yield sign", "speed limit sign"], model="MobileNetV2", flops=(300, "MFLOPs"),
  metrics=[("accuracy", 0.95), ("f1-score", 0.93)], gpu="cpu", eng="ncnn")
E(S, DET, "Detect tennis balls and rackets with an mAP of at least 0.45 and an AP50 of at least 0.7, at 40 fps on a "
  "GPU, under 12 GFLOPs, using RTMDet-tiny fine-tuned from COCO and exported to TensorRT.",
  ["tennis ball", "racket"], model="RTMDet-tiny", speed=(40, "fps"), flops=(12, "GFLOPs"),
  metrics=[("AP", 0.45), ("AP50", 0.7)], gpu="gpu", eng="tensorrt", specific=["COCO"])
E(S, DET, "Find sparks and molten metal spills in foundry camera images on a CPU-only server with OpenVINO at 2 fps, with a "
  "recall of 0.9 and at most 15M parameters.",
  ["spark", "molten metal spill"], speed=(2, "fps"), params=(15, "M"), metrics=[("recall", 0.9)], gpu="cpu", eng="openvino")
E(S, SEG, "Segment rice paddies, canals and footpaths with DeepLabV3+ at 0.78 mIoU, within 100 ms per image on an "
  "NVIDIA GPU using ONNX Runtime, with fewer than 45M parameters.",
  ["rice paddy", "canal", "footpath"], model="DeepLabV3+", speed=(100, "ms"), params=(45, "M"),
  metrics=[("mIoU", 0.78)], gpu="gpu", eng="onnxruntime")
E(S, SEG, "Segment parking lots in aerial images with a pixel accuracy of 0.95 and an mIoU of 0.8 on a CPU in 1.5 s "
  "per tile with no more than 6 GFLOPs.",
  ["parking lot"], speed=(1.5, "s"), flops=(6, "GFLOPs"), metrics=[("pixel accuracy", 0.95), ("mIoU", 0.8)], gpu="cpu")
E(S, KPT, "Estimate keypoints of water polo players with an AP of 0.72 and a PCK of 0.88 at 45 fps on a GPU through "
  "TensorRT, under 20M parameters and 8 GFLOPs.",
  ["water polo player"], speed=(45, "fps"), flops=(8, "GFLOPs"), params=(20, "M"),
  metrics=[("AP", 0.72), ("PCK", 0.88)], gpu="gpu", eng="tensorrt")
E(S, KPT, "Hand keypoint estimation for a guitar-chord tutor app with at most 1.2M parameters, 150 MFLOPs and 25 ms per "
  "frame on a laptop CPU with ONNX Runtime.",
  ["hand"], speed=(25, "ms"), flops=(150, "MFLOPs"), params=(1.2, "M"), gpu="cpu", eng="onnxruntime")

# ---------------------------------------------------------------- metric named, value in the next sentence
S = "split-metric"
E(S, CLS, "Classes: cumulus, stratus, cirrus and cumulonimbus clouds. We measure success by top-1 accuracy. The target is 91%.",
  ["cumulus", "stratus", "cirrus", "cumulonimbus"], metrics=[("accuracy", 0.91)])
E(S, CLS, "Build an image classifier for skin lesions: melanoma versus benign nevus. The key metric for us is "
  "recall. It has to be 0.96 or better. It should run on CPU.",
  ["melanoma", "benign nevus"], metrics=[("recall", 0.96)], gpu="cpu")
E(S, DET, "Detect e-scooters left lying on pavements. Our main metric is mAP. We need it to reach 0.52. GPU "
  "deployment via TensorRT.",
  ["e-scooter"], metrics=[("AP", 0.52)], gpu="gpu", eng="tensorrt")
E(S, DET, "Detect weld seam defects, namely porosity and undercut. Precision is what the client cares about "
  "most. They want 0.93. Recall matters too. It should be at least 0.85.",
  ["porosity", "undercut"], metrics=[("precision", 0.93), ("recall", 0.85)])
E(S, SEG, "Segment buildings in aerial photos. We evaluate with mean IoU. A score of 0.74 is the bar. Keep it under "
  "10 GFLOPs.",
  ["building"], flops=(10, "GFLOPs"), metrics=[("mIoU", 0.74)])
E(S, SEG, "Segment retinal blood vessels in fundus photographs. Dice is the metric our clinicians use. They need 0.88. A SegFormer "
  "would be nice, running on a GPU.",
  ["retinal blood vessel"], model="SegFormer", metrics=[("dice", 0.88)], gpu="gpu")
E(S, KPT, "Estimate keypoints of figure skaters from rink-side cameras. The metric is PCK. Target: 0.85.",
  ["figure skater"], metrics=[("PCK", 0.85)])
E(S, KPT, "Pose estimation of penguins in aquarium enclosures. We report keypoint AP. It should be at least 0.6. Use ONNX "
  "Runtime.",
  ["penguin"], metrics=[("AP", 0.6)], eng="onnxruntime")

# ---------------------------------------------------------------- task named by a noun / outcome
S = "task-by-outcome"
E(S, CLS, "I point a camera at a single fruit and want to be told which of apple, pear or quince it is. 89% "
  "accuracy, 5 ms per image.",
  ["apple", "pear", "quince"], speed=(5, "ms"), metrics=[("accuracy", 0.89)])
E(S, CLS, "A recogniser for banknotes in a vending machine: 5 euro, 10 euro and 20 euro notes. Under 1M parameters, "
  "CPU only.",
  ["5 euro note", "10 euro note", "20 euro note"], params=(1, "M"), gpu="cpu")
E(S, DET, "Put a bounding box around every seagull and every pigeon in the harbour webcam feed; 20 fps with ONNX "
  "Runtime.",
  ["seagull", "pigeon"], speed=(20, "fps"), eng="onnxruntime")
E(S, DET, "We want a locator that marks each license plate and each car with a box, RetinaNet-based, reaching an "
  "mAP of 0.4 on a Jetson Xavier.",
  ["license plate", "car"], model="RetinaNet", metrics=[("AP", 0.4)], gpu="gpu")
E(S, SEG, "Outline every hay bale in drone images of harvested fields with a pixel-accurate mask; mIoU 0.7.",
  ["hay bale"], metrics=[("mIoU", 0.7)])
E(S, SEG, "I need a per-pixel mask of where the river and the riverbank are in flood-monitoring photos, computed in "
  "under 80 ms on a GPU.",
  ["river", "riverbank"], speed=(80, "ms"), gpu="gpu")
E(S, KPT, "Find where the joints are on nurses transferring patients from beds, so we can flag bad lifting posture; under 10 "
  "GFLOPs, OpenVINO.",
  ["nurse"], flops=(10, "GFLOPs"), eng="openvino")
E(S, KPT, "Give me a skeleton tracker that locates the body joints of yoga practitioners, trained on MPII, running "
  "at 30 fps on an NVIDIA GPU.",
  ["yoga practitioner"], speed=(30, "fps"), gpu="gpu", specific=["MPII"])

# ---------------------------------------------------------------- "between" lists, qualifier on first object
S = "between-qualified"
E(S, CLS, "Distinguish between ripe red strawberries, unripe strawberries and rotten strawberries on the packing "
  "line, with 95% accuracy.",
  ["ripe red strawberry", "unripe strawberry", "rotten strawberry"], metrics=[("accuracy", 0.95)])
E(S, CLS, "Differentiate between electric scooters, bicycles and motorbikes in bike-lane photos, with an F1 score of "
  "0.9, using ONNX Runtime on CPU.",
  ["electric scooter", "bicycle", "motorbike"], metrics=[("f1-score", 0.9)], gpu="cpu", eng="onnxruntime")
E(S, DET, "Detect and distinguish between hard-hat-wearing workers, workers without hard hats and visitors on a "
  "building site; AP 0.5; TensorRT on a Jetson.",
  ["hard-hat-wearing worker", "worker without hard hat", "visitor"], metrics=[("AP", 0.5)], gpu="gpu", eng="tensorrt")
E(S, DET, "Build a detector that discriminates between small brown rats, mice and cockroaches in infrared kitchen "
  "night-vision footage, under 5M parameters.",
  ["small brown rat", "mouse", "cockroach"], params=(5, "M"), modality="infrared")
E(S, SEG, "Segment lawn photos, telling apart between healthy green grass, dry grass and bare patches, with an mIoU "
  "of 0.65 on a CPU.",
  ["healthy green grass", "dry grass", "bare patch"], metrics=[("mIoU", 0.65)], gpu="cpu")
E(S, SEG, "For an autonomous boat, segment and separate between open water, moored boats and docks; 15 fps on a GPU "
  "with TensorRT.",
  ["open water", "moored boat", "dock"], speed=(15, "fps"), gpu="gpu", eng="tensorrt")
E(S, KPT, "Keypoint estimation that distinguishes between adult dairy cows and calves in the barn, with an AP of 0.6.",
  ["adult dairy cow", "calf"], metrics=[("AP", 0.6)])
E(S, KPT, "Estimate keypoints for two classes, distinguishing between uniformed football players and referees, in "
  "broadcast footage at 25 fps on a GPU.",
  ["uniformed football player", "referee"], speed=(25, "fps"), gpu="gpu")

# ---------------------------------------------------------------- camera positions / adjectives that are not objects
S = "camera-adjectives"
E(S, CLS, "From a top-down, ceiling-mounted, slightly fisheye camera over the checkout, classify the produce as "
  "onion, potato or carrot. 0.92 accuracy.",
  ["onion", "potato", "carrot"], metrics=[("accuracy", 0.92)])
E(S, CLS, "Low-light, motion-blurred frames from a rear-facing dashcam: classify whether the scene shows rain, fog or "
  "clear weather. CPU, 50 ms.",
  ["rain", "fog", "clear weather"], speed=(50, "ms"), gpu="cpu")
E(S, DET, "Using a side-mounted, wide-angle, waist-height camera along the conveyor, detect peaches and plums with "
  "YOLOX at 60 fps.",
  ["peach", "plum"], model="YOLOX", speed=(60, "fps"))
E(S, DET, "In grainy, overexposed footage from a pole-mounted camera at a rural intersection, detect tractors and "
  "cyclists; 0.45 mAP; OpenVINO.",
  ["tractor", "cyclist"], metrics=[("AP", 0.45)], eng="openvino")
E(S, SEG, "From a forward-facing, hood-mounted stereo rig (we only use the left RGB image) driving down rural lanes, "
  "segment puddles and snow patches at 25 fps; Cityscapes pretraining is fine.",
  ["puddle", "snow patch"], speed=(25, "fps"), specific=["Cityscapes"])
E(S, SEG, "Bird's-eye-view, high-altitude, cloudy satellite tiles: segment greenhouses, with a Dice of 0.8.",
  ["greenhouse"], metrics=[("dice", 0.8)])
E(S, KPT, "From a low-angle, handheld, shaky phone camera at ground level, estimate the keypoints of skateboarders "
  "in under 50 ms on the phone's CPU.",
  ["skateboarder"], speed=(50, "ms"), gpu="cpu")
E(S, KPT, "Overhead, wide-angle infrared cameras in a dim stable: estimate keypoints of donkeys with HRNet-W48 on a GPU.",
  ["donkey"], model="HRNet-W48", gpu="gpu", modality="infrared")

# ---------------------------------------------------------------- model family named casually
S = "casual-model"
E(S, CLS, "Something like a ResNet-50, pretrained on ImageNet, to sort mushrooms into chanterelle, porcini and fly "
  "agaric, with 0.9 precision.",
  ["chanterelle", "porcini", "fly agaric"], model="ResNet-50", metrics=[("precision", 0.9)], specific=["ImageNet"])
E(S, CLS, "Go with an EfficientNet, any size, to classify pill photos into aspirin, ibuprofen and paracetamol; under "
  "4M parameters.",
  ["aspirin", "ibuprofen", "paracetamol"], model="EfficientNet", params=(4, "M"))
E(S, DET, "yolo-ish detector for ships and buoys in harbour camera images, 30 fps, TensorRT.",
  ["ship", "buoy"], model="YOLO", speed=(30, "fps"), eng="tensorrt")
E(S, DET, "A DETR-style detector for finding price tags and barcodes on supermarket shelves, 0.6 AP, under 50 GFLOPs.",
  ["price tag", "barcode"], model="DETR", flops=(50, "GFLOPs"), metrics=[("AP", 0.6)])
E(S, SEG, "A Mask R-CNN type of thing for segmenting grape bunches in vineyard photos; at most 45M parameters.",
  ["grape bunch"], model="Mask R-CNN", params=(45, "M"))
E(S, SEG, "Something in the UNet family for segmenting algae blooms in lake images, CPU, ONNX Runtime.",
  ["algae bloom"], model="UNet", gpu="cpu", eng="onnxruntime")
E(S, KPT, "Keypoints of kangaroos in a wildlife park, something along the lines of RTMPose-s, 20 fps on CPU with OpenVINO.",
  ["kangaroo"], model="RTMPose-s", speed=(20, "fps"), gpu="cpu", eng="openvino")
E(S, KPT, "An HRNet-flavoured network for estimating the pose of ballet dancers, AP 0.75, on a GPU.",
  ["ballet dancer"], model="HRNet", metrics=[("AP", 0.75)], gpu="gpu")

# ---------------------------------------------------------------- device implied by the board
S = "device-implied"
E(S, CLS, "Classify birds at a garden feeder as great tit, goldfinch or wren, running on a Raspberry Pi 4 at 3 fps.",
  ["great tit", "goldfinch", "wren"], speed=(3, "fps"), gpu="cpu")
E(S, CLS, "Identify whether a solder joint is good, cold or bridged, on a Jetson Orin Nano with TensorRT in under 4 ms.",
  ["good solder joint", "cold solder joint", "bridged solder joint"], speed=(4, "ms"), gpu="gpu", eng="tensorrt")
E(S, DET, "Detect moose and reindeer near the road, running on a Jetson AGX Xavier at no less than 20 fps.",
  ["moose", "reindeer"], speed=(20, "fps"), gpu="gpu")
E(S, DET, "Detect bin bags and cardboard boxes left at the kerb with a street camera that runs on a Raspberry Pi Zero 2 with ncnn; "
  "under 2M parameters.",
  ["bin bag", "cardboard box"], params=(2, "M"), gpu="cpu", eng="ncnn")
E(S, SEG, "Segment surgical instruments and gauze in operating-room videos on a Jetson with TensorRT at 15 fps.",
  ["surgical instrument", "gauze"], speed=(15, "fps"), gpu="gpu", eng="tensorrt")
E(S, SEG, "Segment lawn and flower beds for a robotic lawnmower whose brain is a Raspberry Pi 5; 100 ms per frame; "
  "OpenVINO isn't available there, so use ncnn.",
  ["lawn", "flower bed"], speed=(100, "ms"), gpu="cpu", eng="ncnn")
E(S, KPT, "Estimate keypoints of stroke survivors doing rehabilitation exercises on a Raspberry Pi for a physiotherapy clinic; 0.2 s "
  "per frame.",
  ["stroke survivor"], speed=(0.2, "s"), gpu="cpu")
E(S, KPT, "Estimate keypoints of traffic police officers directing cars on an NVIDIA Jetson Orin, using RTMPose-m with ONNX "
  "Runtime at 30 fps.",
  ["traffic police officer"], model="RTMPose-m", speed=(30, "fps"), gpu="gpu", eng="onnxruntime")


def main():
    with open("/work/blind/ru_blind.jsonl", "w") as f, open("/work/blind/ru_blind_styles.tsv", "w") as g:
        g.write("id\tstyle\ttask\n")
        for i, e in enumerate(ENTRIES, 1):
            rid = f"b-{i:03d}"
            f.write(json.dumps({"id": rid, "requirement": e["requirement"], "parse": e["parse"]},
                               ensure_ascii=False) + "\n")
            g.write(f"{rid}\t{e['style']}\t{e['parse']['model']['task']}\n")
    print(len(ENTRIES), "entries written")


if __name__ == "__main__":
    main()
