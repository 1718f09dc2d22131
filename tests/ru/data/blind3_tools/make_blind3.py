"""Hand-written blind set ru_blind3. One E(...) call per request; every text and gold value is written by hand.
Only the JSON boilerplate (defaults for keys a request does not state) is code.
Run: python3 make_blind3.py  -> ru_blind3.jsonl, ru_blind3_styles.tsv
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
RECS, STYLES = [], []
NONE = (0, "none")


def E(n, style, task, text, obj, model="none", speed=NONE, flops=NONE, params=NONE, metrics=(),
      gpu="none", engine="none", modality="rgb", specific=()):
    rid = "bl3-%03d" % n
    parse = {
        "data": {"object": list(obj), "modality": modality, "specific": list(specific)},
        "model": {"task": task, "specific_model": model,
                  "speed": {"value": speed[0], "unit": speed[1]},
                  "flops": {"value": flops[0], "unit": flops[1]},
                  "parameters": {"value": params[0], "unit": params[1]},
                  "metrics": [{"name": k, "value": v} for k, v in metrics]},
        "deploy": {"gpu": gpu, "inference engine": engine},
    }
    RECS.append({"id": rid, "requirement": text, "parse": parse})
    STYLES.append((rid, style, task))


# ---------------------------------------------------------------- chatty (80-150 words)
E(1, "chatty", "classification",
  "Hi there! My partner and I run a tiny tea shop in the old quarter, and every autumn we buy loose leaf from "
  "three different growers. Honestly, half the bags arrive with smudged labels and my weekend staff can't tell "
  "the leaves apart by eye, which has led to some very confused customers. What I'd love is a simple tool where "
  "you photograph a scoop of dry leaves and it tells you whether it's oolong, pu-erh or white tea. It will live "
  "on the dusty office laptop, which has no graphics card at all, so please keep it light: five million "
  "parameters at the very most. If it could reach around 90% accuracy I would be thrilled. We are not in a "
  "hurry, the shop is closed until March anyway. Thanks so much for reading all this!",
  ["oolong", "pu-erh", "white tea"], params=(5, "M"), metrics=[("accuracy", 0.9)], gpu="cpu")

E(2, "chatty", "detection",
  "Okay, bit of a weird one. I help run a community allotment with about forty plots, and every spring the "
  "lettuce beds get wrecked overnight. We finally put up two infrared night cameras last month and the footage "
  "is full of slugs and snails going to town on everything. I'd like a model that picks out every slug and "
  "every snail in those infrared frames and boxes them, so we can see which beds get hit worst and when. "
  "Someone on the committee donated a Jetson Orin Nano, so that's what it runs on, and we'd like to use "
  "TensorRT since apparently that's the fast route on those boards. Five frames per second would be plenty "
  "for us; nothing moves quickly in a lettuce bed at 3am. Happy to share footage if that helps.",
  ["slug", "snail"], speed=(5, "fps"), gpu="gpu", engine="tensorrt", modality="infrared")

E(3, "chatty", "segmentation",
  "I work as a conservator at a regional museum, and we've just finished scanning about six hundred oil "
  "paintings from the storage rooms at very high resolution. Before anything goes back on the walls, we have "
  "to document the damage, and right now that means someone tracing areas by hand in Photoshop for days. "
  "Could you build something that marks, pixel by pixel, the areas of paint loss and the areas of yellowed "
  "varnish on each scan? Please use a SegFormer; a colleague at another museum had good results with one. "
  "For quality, a Dice score of 0.8 would make the output usable for our condition reports. We have a "
  "workstation with an RTX 4090 that the photography team doesn't mind sharing. Speed really isn't a concern.",
  ["paint loss", "yellowed varnish"], model="SegFormer", metrics=[("dice", 0.8)], gpu="gpu")

E(4, "chatty", "segmentation",
  "Hello! We're a small solar installation company, twelve people, mostly electricians, and quoting jobs is "
  "eating our week. For every lead we pull an aerial image of the house and someone estimates by eye how much "
  "usable roof there is. I'd love a model that outlines the roof planes on each image and also marks the "
  "skylights and chimneys, since we can't put panels on those. Our office server is a plain box with no GPU "
  "in it, so we'll run it with OpenVINO, which the guy who set it up recommends for Intel chips. Up to three "
  "seconds per "
  "image tile is totally fine, we batch these overnight. For accuracy, we need a mean IoU of 0.7, as our "
  "engineer suggested. Let me know if you need sample images; we have thousands.",
  ["roof plane", "skylight", "chimney"], speed=(3, "s"), metrics=[("mIoU", 0.7)], gpu="cpu", engine="openvino")

E(5, "chatty", "keypoint",
  "Right, so I herd reindeer in northern Finland with my two brothers, around three hundred head, and every "
  "winter a few of them start favouring a leg before anyone notices. Our vet asked us to film them walking "
  "past the feeding pen so she can check the gait, but nobody has time to study hours of clips. Could you "
  "make something that finds the keypoints on each reindeer, hooves, knees, hocks, neck and head, frame by "
  "frame? It has to run on my phone's CPU out at the pen, because there is no coverage at all, and we want "
  "to use ncnn there, which my daughter says is what people use. Each frame done in 100 milliseconds or less would be "
  "fine. Sorry if this is a strange request; we're reindeer people, not computer people.",
  ["reindeer"], speed=(100, "ms"), gpu="cpu", engine="ncnn")

E(6, "chatty", "keypoint",
  "I run a small pottery studio with evening classes, and my students keep hurting their backs. They hunch "
  "over the wheel for two hours, elbows flapping, neck bent, and by the time I walk over it's too late. My "
  "idea is to film each session from the side and have a model estimate the body keypoints of the potter at "
  "the wheel, so afterwards I can show exactly when the posture collapsed. The studio PC has an NVIDIA card "
  "in it, and the friend helping me wants ONNX Runtime because that's what he knows. Roughly 25 frames per "
  "second would let us scrub through at normal speed. He also told me to ask for a PCK of 0.85. Thanks a "
  "lot, and if it works I'll make you a mug!",
  ["potter"], speed=(25, "fps"), metrics=[("PCK", 0.85)], gpu="gpu", engine="onnxruntime")

E(7, "chatty", "classification",
  "Hello from a small family winery! We started a cork take-back scheme last year, and the collection bins "
  "now fill up every week. The recycler only pays properly for real cork, so someone has to sort through "
  "thousands of stoppers by hand, which nobody enjoys. We mounted a camera over a little chute and what we "
  "need is the model: it should look at each stopper and decide natural cork, agglomerated cork or synthetic "
  "stopper. We'd like a MobileNetV3, as my son-in-law suggested, since the whole thing runs on a Raspberry "
  "Pi 4 in the cellar. A stopper drops about every second, so we need a decision within 200 ms per stopper to leave "
  "time for the flap to move. We'd need 95% accuracy or the recycler will send bags back. Cheers and thank you!",
  ["natural cork", "agglomerated cork", "synthetic stopper"], model="MobileNetV3", speed=(200, "ms"),
  metrics=[("accuracy", 0.95)], gpu="cpu")

E(8, "chatty", "detection",
  "Hi, I manage a family vineyard on a slope near the forest, and this year the damage has been brutal. "
  "Something digs up the rows at night and nibbles the young shoots. We put up thermal camera traps along "
  "the fence and, surprise, it's wild boar and roe deer, sometimes both on the same night. I'd like a detector "
  "that draws boxes around the wild boar and the roe deer in the thermal footage so we can log when and where "
  "they come through. We'll deploy it with OpenVINO on our little edge PC; my cousin in IT says that's the best choice. He also said to "
  "ask for a mean average precision of at least 0.6 and to keep it under 25 million parameters so it fits. "
  "Does that sound doable? Cheers from the hills.",
  ["wild boar", "roe deer"], params=(25, "M"), metrics=[("AP", 0.6)], engine="openvino", modality="infrared")

# ---------------------------------------------------------------- terse spec
E(9, "terse", "classification",
  "Classifier, latte art: heart / rosetta / tulip. Top-1 >= 88%. <= 300 MFLOPs. ONNX Runtime, CPU.",
  ["heart", "rosetta", "tulip"], flops=(300, "MFLOPs"), metrics=[("accuracy", 0.88)], gpu="cpu",
  engine="onnxruntime")

E(10, "terse", "classification",
  "EfficientNet-B0. Car body panel photos. Classes: hail-dented panel, undamaged panel. Acc 0.93, F1 0.9. "
  "TensorRT on Jetson AGX Orin.",
  ["hail-dented panel", "undamaged panel"], model="EfficientNet-B0",
  metrics=[("accuracy", 0.93), ("f1-score", 0.9)], gpu="gpu", engine="tensorrt")

E(11, "terse", "detection",
  "Boxes needed for: drone · paraglider · hot-air balloon. Source: rooftop sky camera. Req: AP50 >= 0.7, "
  "40 FPS, RTX 3060 + TensorRT.",
  ["drone", "paraglider", "hot-air balloon"], speed=(40, "fps"), metrics=[("AP50", 0.7)], gpu="gpu",
  engine="tensorrt")

E(12, "terse", "detection",
  "Detection | grayscale parcel scanner images | knife, scissors, lighter | Faster R-CNN | mAP >= 0.55 | "
  "params <= 45M",
  ["knife", "scissors", "lighter"], model="Faster R-CNN", params=(45, "M"), metrics=[("AP", 0.55)],
  modality="grayscale")

E(13, "terse", "segmentation",
  "Semantic seg. Drone orthophotos of a solar farm. Classes: soiled panel, clean panel, vegetation overgrowth. "
  "mIoU >= 0.8. OpenVINO, CPU only, <= 1.2 s per tile.",
  ["soiled panel", "clean panel", "vegetation overgrowth"], speed=(1.2, "s"), metrics=[("mIoU", 0.8)],
  gpu="cpu", engine="openvino")

E(14, "terse", "segmentation",
  "seg, thermal images of circuit boards -> hot spot masks. dice 0.85. <2M params. ncnn.",
  ["hot spot"], params=(2, "M"), metrics=[("dice", 0.85)], engine="ncnn", modality="infrared")

E(15, "terse", "keypoint",
  "Keypoints: crab (carapace corners + claw tips). Top-down cam, fish market sorting table. AP 0.6+. "
  "RTMPose-s. ONNX Runtime.",
  ["crab"], model="RTMPose-s", metrics=[("AP", 0.6)], engine="onnxruntime")

E(16, "terse", "keypoint",
  "pose est / stilt walkers / parade clips shot slow-mo at 240 fps / must process >= 120 fps / HRNet-W48 / GPU",
  ["stilt walker"], model="HRNet-W48", speed=(120, "fps"), gpu="gpu")

# ---------------------------------------------------------------- non-native English
E(17, "non-native", "classification",
  "Hello, I am work in a textile factory in Bursa. We want that the model say if the towel have stain or is "
  "clean. Model must be small, not more than 3 millions parameter, and the accuracy more than 97 percent. We "
  "use OpenVINO on Intel CPU.",
  ["stained towel", "clean towel"], params=(3, "M"), metrics=[("accuracy", 0.97)], gpu="cpu",
  engine="openvino")

E(18, "non-native", "classification",
  "Please, I need to classify grain of rice in the kind: basmati, jasmine, arborio and karacadag. Photo is "
  "from macro lens in our lab. Recall must be 0.9 at least. We want ResNet18 because is easy for us. Time of "
  "inference less than 50 millisecond.",
  ["basmati", "jasmine", "arborio", "karacadag"], model="ResNet18", speed=(50, "ms"),
  metrics=[("recall", 0.9)])

E(19, "non-native", "detection",
  "We are bus company in Lagos. We want detect the motorbike taxi and the helmet of rider in the video from "
  "camera of bus front. Please model like YOLOv8, speed 25 image per second on the GPU Nvidia T4, with "
  "TensorRT.",
  ["motorbike taxi", "helmet"], model="YOLOv8", speed=(25, "fps"), gpu="gpu", engine="tensorrt")

E(20, "non-native", "detection",
  "Hallo, for our bakery we must find the burned cookie on the tray, the camera is over the belt after the "
  "oven. The precision should be minimum 0.92 and the recall minimum 0.85. Is no GPU there, only small ARM "
  "computer, we think to use ncnn.",
  ["burned cookie"], metrics=[("precision", 0.92), ("recall", 0.85)], gpu="cpu", engine="ncnn")

E(21, "non-native", "segmentation",
  "I am researcher in Vietnam, we have pictures of the rice field from the drone. I want separate every pixel "
  "of the field in: flooded area, rice plant, and bund (the small earth wall between fields). Mean IoU need "
  "be 0.72 or more. Our computer have RTX 3090. Please use DeepLabV3+ for the model.",
  ["flooded area", "rice plant", "bund"], model="DeepLabV3+", metrics=[("mIoU", 0.72)], gpu="gpu")

E(22, "non-native", "segmentation",
  "Good day. In our fertility clinic we have grayscale ultrasound images of the ovary and I want that the "
  "model cut exactly every follicle. Dice score should be bigger than 0.83. The time for one image not more "
  "than 0.2 second, and onnxruntime please.",
  ["follicle"], speed=(0.2, "s"), metrics=[("dice", 0.83)], engine="onnxruntime", modality="grayscale")

E(23, "non-native", "keypoint",
  "Me and my brother, we are building an app of Nordic walking for old people in our city. The app need to "
  "know where are the body points (wrist, elbow, hip, knee) of the Nordic walker in camera. It have to work "
  "on the CPU of the phone using ncnn, minimum 20 frames in one second.",
  ["Nordic walker"], speed=(20, "fps"), gpu="cpu", engine="ncnn")

E(24, "non-native", "keypoint",
  "We are zoo in Poland. We want to estimate pose of the flamingos, the points of legs and neck, for see if "
  "they are sick. The AP should reach 0.68. Not more than 10 GFLOPs because the computer is old. Thanks you.",
  ["flamingo"], flops=(10, "GFLOPs"), metrics=[("AP", 0.68)])

# ---------------------------------------------------------------- units and numbers in words
E(25, "units-in-words", "classification",
  "I'd like a classifier that sorts scanned herbarium sheets into ferns, mosses and liverworts. Targets: "
  "ninety-one percent top-1 accuracy, no more than twelve million parameters, and each sheet handled in under "
  "a quarter of a second.",
  ["fern", "moss", "liverwort"], speed=(0.25, "s"), params=(12, "M"), metrics=[("accuracy", 0.91)])

E(26, "units-in-words", "classification",
  "Build a classifier for kiln-fired bricks with three grades: first-grade brick, second-grade brick and "
  "rejected brick. It should hit an F1 score of zero point eight seven and stay below six hundred megaflops. "
  "Deployment is through ONNX Runtime on a GPU.",
  ["first-grade brick", "second-grade brick", "rejected brick"], flops=(600, "MFLOPs"),
  metrics=[("f1-score", 0.87)], gpu="gpu", engine="onnxruntime")

E(27, "units-in-words", "detection",
  "Detect boulders and fallen trees on a mountain railway line from the locomotive's front camera. We need "
  "fifteen frames per second, a mean average precision of sixty-two percent, and fewer than thirty million "
  "parameters.",
  ["boulder", "fallen tree"], speed=(15, "fps"), params=(30, "M"), metrics=[("AP", 0.62)])

E(28, "units-in-words", "detection",
  "We want to detect jellyfish and floating plastic bags at a power station's cooling-water intake. Limits: "
  "one and a half billion FLOPs, half a second per frame, and a recall of eighty percent. It has to run on the "
  "CPU only, with OpenVINO.",
  ["jellyfish", "plastic bag"], speed=(0.5, "s"), flops=(1.5, "GFLOPs"), metrics=[("recall", 0.8)],
  gpu="cpu", engine="openvino")

E(29, "units-in-words", "segmentation",
  "Our parks department wants the duckweed and the water lettuce on the ornamental ponds mapped from a "
  "webcam. Please segment both, reaching a mean IoU of zero point seven eight, in two hundred milliseconds "
  "per image on a Jetson Orin Nano with TensorRT.",
  ["duckweed", "water lettuce"], speed=(200, "ms"), metrics=[("mIoU", 0.78)], gpu="gpu", engine="tensorrt")

E(30, "units-in-words", "segmentation",
  "Segment mould colonies in photos of petri dishes. Dice of at least eighty-five percent, a model below eight "
  "hundred thousand parameters, and a compute budget of three hundred fifty million FLOPs.",
  ["mould colony"], flops=(350, "MFLOPs"), params=(800, "K"), metrics=[("dice", 0.85)])

E(31, "units-in-words", "keypoint",
  "For a para-cycling fitting service we need keypoints of the handcyclist on an indoor trainer, filmed from "
  "the side. PCK of ninety-five percent, sixty frames a second, on the studio's graphics card.",
  ["handcyclist"], speed=(60, "fps"), metrics=[("PCK", 0.95)], gpu="gpu")

E(32, "units-in-words", "keypoint",
  "At the lure-coursing club we'd like pose estimation of whippets in full sprint. The limits: two tenths of "
  "a second or less per frame on a Raspberry Pi 5, under four million parameters, and an AP of zero point six.",
  ["whippet"], speed=(0.2, "s"), params=(4, "M"), metrics=[("AP", 0.6)], gpu="cpu")

# ---------------------------------------------------------------- correction
E(33, "correction", "classification",
  "Classify beetles in pitfall-trap photos: ground beetle, rove beetle and weevil. Oh wait, weevils never end "
  "up in those traps, so replace weevil with dung beetle. Accuracy 0.9, under 10 ms per image on a GPU.",
  ["ground beetle", "rove beetle", "dung beetle"], speed=(10, "ms"), metrics=[("accuracy", 0.9)], gpu="gpu")

E(34, "correction", "classification",
  "We want a classifier for a laundry-sorting robot: whites, darks and delicates. Keep it to 2M parameters at "
  "most. No, sorry, make that 4M, the controller can handle more than I thought. Deploy with OpenVINO.",
  ["whites", "darks", "delicates"], params=(4, "M"), engine="openvino")

E(35, "correction", "detection",
  "Detect sheep and goats on hillsides in drone footage, AP 0.5. We'll deploy with ncnn... scratch that, the "
  "drone's companion computer turned out to be a Jetson, so TensorRT it is.",
  ["sheep", "goat"], metrics=[("AP", 0.5)], gpu="gpu", engine="tensorrt")

E(36, "correction", "detection",
  "Detect wheelie bins left out on the pavement after collection day, 8 fps. We planned to run it on the GPU "
  "server, but IT just told me it has to run on the CPU of the camera gateway instead.",
  ["wheelie bin"], speed=(8, "fps"), gpu="cpu")

E(37, "correction", "segmentation",
  "Segment vine rows and inter-row grass in drone images of a vineyard. Use a U-Net. Hmm, on second thought, "
  "go with PSPNet instead. Target mIoU 0.7.",
  ["vine row", "inter-row grass"], model="PSPNet", metrics=[("mIoU", 0.7)])

E(38, "correction", "segmentation",
  "Segment scratches, dents and rust on car doors in bodyshop photos. Actually dents are handled by another "
  "team, so drop those, but add paint chips. Dice 0.75.",
  ["scratch", "rust", "paint chip"], metrics=[("dice", 0.75)])

E(39, "correction", "keypoint",
  "Keypoints of kabaddi raiders in broadcast footage, 50 ms per frame on a GPU. Make that 35 ms, the "
  "raid-replay graphics lag otherwise.",
  ["kabaddi raider"], speed=(35, "ms"), gpu="gpu")

E(40, "correction", "keypoint",
  "Underwater hockey players, pool-bottom camera, we want their keypoints with AP 0.7 - no wait, I mixed it "
  "up, the target is a PCK of 0.7, not AP. It gets deployed through ONNX Runtime.",
  ["underwater hockey player"], metrics=[("PCK", 0.7)], engine="onnxruntime")

# ---------------------------------------------------------------- multi-constraint
E(41, "multi-constraint", "classification",
  "The kiosk app, which runs in ncnn on an Android phone's CPU, must tell har gow, siu mai, char siu bao and "
  "cheung fun apart with a ShuffleNetV2 that stays within 2.5M parameters and 150 MFLOPs, answers in 15 ms "
  "per image and reaches 89% top-1 accuracy.",
  ["har gow", "siu mai", "char siu bao", "cheung fun"], model="ShuffleNetV2", speed=(15, "ms"),
  flops=(150, "MFLOPs"), params=(2.5, "M"), metrics=[("accuracy", 0.89)], gpu="cpu", engine="ncnn")

E(42, "multi-constraint", "classification",
  "I need a classifier that labels each grayscale photo of a sheet-metal stamping as good part, wrinkled part "
  "or split part, with at least 0.96 precision and 0.94 recall, under 20 ms on an NVIDIA T4 through TensorRT.",
  ["good part", "wrinkled part", "split part"], speed=(20, "ms"), metrics=[("precision", 0.96), ("recall", 0.94)],
  gpu="gpu", engine="tensorrt", modality="grayscale")

E(43, "multi-constraint", "detection",
  "Detect temporary speed signs and arrow boards from a roadworks patrol van's camera using RetinaNet, with "
  "mAP above 0.58, fewer than 35M parameters, at most 90 GFLOPs, and 12 fps on the van's CPU via OpenVINO.",
  ["temporary speed sign", "arrow board"], model="RetinaNet", speed=(12, "fps"), flops=(90, "GFLOPs"),
  params=(35, "M"), metrics=[("AP", 0.58)], gpu="cpu", engine="openvino")

E(44, "multi-constraint", "detection",
  "Our river clean-up drone has to spot tangled fishing line, bottle caps and styrofoam chunks on the banks, "
  "hitting AP50 0.65 and recall 0.7 while staying under 8M parameters and 80 ms per image on its Jetson Orin.",
  ["tangled fishing line", "bottle cap", "styrofoam chunk"], speed=(80, "ms"), params=(8, "M"),
  metrics=[("AP50", 0.65), ("recall", 0.7)], gpu="gpu")

E(45, "multi-constraint", "segmentation",
  "The county fire service would like burn scars and bulldozed firebreaks segmented from satellite tiles by a "
  "model under 25M parameters that scores 0.74 mIoU and 0.9 pixel accuracy and finishes each tile within 4 "
  "seconds using ONNX Runtime on CPU.",
  ["burn scar", "bulldozed firebreak"], speed=(4, "s"), params=(25, "M"),
  metrics=[("mIoU", 0.74), ("pixel accuracy", 0.9)], gpu="cpu", engine="onnxruntime")

E(46, "multi-constraint", "segmentation",
  "Segment kelp forest and sea urchin barrens in underwater survey photos with a SegFormer-B2 that reaches a "
  "Dice of 0.8, stays under 40 GFLOPs and runs at 10 fps on an RTX A2000 with TensorRT.",
  ["kelp forest", "sea urchin barren"], model="SegFormer-B2", speed=(10, "fps"), flops=(40, "GFLOPs"),
  metrics=[("dice", 0.8)], gpu="gpu", engine="tensorrt")

E(47, "multi-constraint", "keypoint",
  "Leopard geckos filmed by infrared cameras in their terrariums: keypoints (snout, four feet, tail base and tip) needed at AP "
  "0.75 and PCK 0.9, with under 3M parameters and 100 fps on a GPU.",
  ["leopard gecko"], speed=(100, "fps"), params=(3, "M"), metrics=[("AP", 0.75), ("PCK", 0.9)], gpu="gpu",
  modality="infrared")

E(48, "multi-constraint", "keypoint",
  "For an injury-prevention study at the airport, track the pose of baggage handlers loading the hold, using "
  "RTMPose-m with AP 0.7, no more than 15 GFLOPs, 30 ms per frame on a laptop CPU, OpenVINO.",
  ["baggage handler"], model="RTMPose-m", speed=(30, "ms"), flops=(15, "GFLOPs"), metrics=[("AP", 0.7)],
  gpu="cpu", engine="openvino")

# ---------------------------------------------------------------- split-metric
E(49, "split-metric", "classification",
  "Our fossil-hunting group photographs every find on the beach and wants each photo classified as ammonite, "
  "belemnite or crinoid stem. Precision is the number the curator looks at. Please get it to 0.9 or higher.",
  ["ammonite", "belemnite", "crinoid stem"], metrics=[("precision", 0.9)])

E(50, "split-metric", "classification",
  "Classify fabric swatches by pattern: plaid, houndstooth, paisley, polka dot. The metric our QA team tracks "
  "is the F1 score. Ninety-two percent is the bar. CPU inference with ONNX Runtime.",
  ["plaid", "houndstooth", "paisley", "polka dot"], metrics=[("f1-score", 0.92)], gpu="cpu",
  engine="onnxruntime")

E(51, "split-metric", "detection",
  "A shuttlecock-collecting robot drives around our badminton hall; it runs on a Raspberry Pi 4 and needs to "
  "detect every shuttlecock on the floor. Our acceptance criterion is average precision. We need 0.66.",
  ["shuttlecock"], metrics=[("AP", 0.66)], gpu="cpu")

E(52, "split-metric", "detection",
  "Detect welding spatter and porosity on weld seams in grayscale inspection images. Use Cascade R-CNN. Recall "
  "is the metric that matters here. Aim for 95%.",
  ["welding spatter", "porosity"], model="Cascade R-CNN", metrics=[("recall", 0.95)], modality="grayscale")

E(53, "split-metric", "segmentation",
  "A brow-tint preview app needs the eyebrows segmented in front-camera selfies, 30 ms per frame, ncnn on the "
  "phone CPU. Evaluation will be done with mean IoU. Our bar for it is 0.88.",
  ["eyebrow"], speed=(30, "ms"), metrics=[("mIoU", 0.88)], gpu="cpu", engine="ncnn")

E(54, "split-metric", "segmentation",
  "Segment lichen patches on old gravestones from survey photos, within 20 GFLOPs. Judge it by the Dice "
  "coefficient. Anything from 0.78 upward is good for us.",
  ["lichen patch"], flops=(20, "GFLOPs"), metrics=[("dice", 0.78)])

E(55, "split-metric", "keypoint",
  "Clog-dancing workshop: locate the body keypoints of each clog dancer from a floor-level camera, 40 fps on "
  "a GPU. PCK is the metric we'll check. It should come out at 0.88 or better.",
  ["clog dancer"], speed=(40, "fps"), metrics=[("PCK", 0.88)], gpu="gpu")

E(56, "split-metric", "keypoint",
  "Aardvarks in the nocturnal house: we need their pose, deployed with OpenVINO. Keypoint AP is what the "
  "keepers' report uses. Make it 0.62.",
  ["aardvark"], metrics=[("AP", 0.62)], engine="openvino")

# ---------------------------------------------------------------- task-by-outcome
E(57, "task-by-outcome", "classification",
  "Given one photo of a tyre's tread, tell me which of these four patterns it is: symmetric, asymmetric, "
  "directional or block. 15 ms per photo on a GPU.",
  ["symmetric", "asymmetric", "directional", "block"], speed=(15, "ms"), gpu="gpu")

E(58, "task-by-outcome", "classification",
  "For every scanned envelope I want a single label back, handwritten address or printed address. Scans are "
  "grayscale, it runs CPU-only, and the accuracy must be at least 98.5%.",
  ["handwritten address", "printed address"], metrics=[("accuracy", 0.985)], gpu="cpu", modality="grayscale")

E(59, "task-by-outcome", "detection",
  "On the solar farm cameras, draw a rectangle around each jackdaw and each starling perched on the panels, "
  "with its coordinates. AP 0.55, OpenVINO.",
  ["jackdaw", "starling"], metrics=[("AP", 0.55)], engine="openvino")

E(60, "task-by-outcome", "detection",
  "I need the bounding-box location of each parked e-scooter and bicycle in sidewalk photos so we can count "
  "them. It runs on an ARM board with ncnn at 20 fps.",
  ["e-scooter", "bicycle"], speed=(20, "fps"), gpu="cpu", engine="ncnn")

E(61, "task-by-outcome", "segmentation",
  "Paint a mask over every pixel that is oil slick in aerial photos of the harbour. Mask2Former on a GPU, mean "
  "IoU 0.7.",
  ["oil slick"], model="Mask2Former", metrics=[("mIoU", 0.7)], gpu="gpu")

E(62, "task-by-outcome", "segmentation",
  "For each pixel of a microscope image of a rock thin section, give it a label: quartz, feldspar or mica. "
  "Pixel accuracy 0.9, at most 30M parameters.",
  ["quartz", "feldspar", "mica"], params=(30, "M"), metrics=[("pixel accuracy", 0.9)])

E(63, "task-by-outcome", "keypoint",
  "Every frame from the boma camera should tell us where each rhino's horn base, ear tips, shoulders, hips "
  "and feet are. 25 fps, TensorRT.",
  ["rhino"], speed=(25, "fps"), engine="tensorrt")

E(64, "task-by-outcome", "keypoint",
  "Return pixel coordinates for the wrists, elbows, shoulders and neck of the barista behind the counter, "
  "frame by frame, for a repetitive-strain study. CPU only, ONNX Runtime, 60 ms per frame.",
  ["barista"], speed=(60, "ms"), gpu="cpu", engine="onnxruntime")

# ---------------------------------------------------------------- list-shapes
E(65, "list-shapes", "classification",
  "Pasta-shape classifier for a food-factory line camera. Classes: (1) penne, (2) farfalle, (3) fusilli, "
  "(4) rigatoni. EfficientNet-B3, accuracy 0.85.",
  ["penne", "farfalle", "fusilli", "rigatoni"], model="EfficientNet-B3", metrics=[("accuracy", 0.85)])

E(66, "list-shapes", "classification",
  "Sort scans of postage stamps into definitive/commemorative/airmail/revenue stamps; under 6M params.",
  ["definitive stamp", "commemorative stamp", "airmail stamp", "revenue stamp"], params=(6, "M"))

E(67, "list-shapes", "detection",
  "Objects to find in hospital corridor images:\n- wheelchair\n- walking frame\n- crutches\nmAP 0.6, GPU.",
  ["wheelchair", "walking frame", "crutches"], metrics=[("AP", 0.6)], gpu="gpu")

E(68, "list-shapes", "detection",
  "In frames from the marina webcam, find mooring balls + rowing dinghies + jet skis; 50 ms per frame with "
  "ONNX Runtime.",
  ["mooring ball", "rowing dinghy", "jet ski"], speed=(50, "ms"), engine="onnxruntime")

E(69, "list-shapes", "segmentation",
  "Segment these in street-level images: zebra crossing; manhole cover; kerb; tactile paving. mIoU 0.65, "
  "CPU, OpenVINO.",
  ["zebra crossing", "manhole cover", "kerb", "tactile paving"], metrics=[("mIoU", 0.65)], gpu="cpu",
  engine="openvino")

E(70, "list-shapes", "segmentation",
  "Bathroom renovation photos: segment the tiles, the grout lines and also the limescale deposits. Dice 0.8.",
  ["tile", "grout line", "limescale deposit"], metrics=[("dice", 0.8)])

E(71, "list-shapes", "keypoint",
  "Keypoints for garden trail-camera clips (infrared) for these animals:\n* red fox\n* badger\n* hedgehog\nAP "
  "0.5.",
  ["red fox", "badger", "hedgehog"], metrics=[("AP", 0.5)], modality="infrared")

E(72, "list-shapes", "keypoint",
  "Pose for seabirds on a colony cliff: penguin -- puffin -- cormorant. PCK 0.8.",
  ["penguin", "puffin", "cormorant"], metrics=[("PCK", 0.8)])

# ---------------------------------------------------------------- context-nouns
E(73, "context-nouns", "classification",
  "In our farm shop in Devon a Canon camera above the till photographs every egg that goes into a carton. The "
  "till, the card reader, the scales and the cartons don't matter; I only want each egg classified as brown "
  "egg, white egg or speckled egg. It runs on the till PC, which has no GPU, at 0.1 s per egg.",
  ["brown egg", "white egg", "speckled egg"], speed=(0.1, "s"), gpu="cpu")

E(74, "context-nouns", "classification",
  "Our lab has a Zeiss microscope, a Nikon camera and a cabinet of slides from the 1970s. I want to classify "
  "the pollen grains on the slides as pine pollen, birch pollen or grass pollen. Use ViT-B/16 on the RTX "
  "workstation, up to 1 billion parameters is fine, accuracy 0.9.",
  ["pine pollen", "birch pollen", "grass pollen"], model="ViT-B/16", params=(1, "B"),
  metrics=[("accuracy", 0.9)], gpu="gpu")

E(75, "context-nouns", "detection",
  "Warehouse in Rotterdam, dock 4, ceiling Hikvision cameras, shelves, pallets, boxes, and my colleague's dog "
  "Biscuit who wanders in sometimes. The only things to detect are fire extinguishers and first-aid kits, to "
  "check they are on the wall. mAP 0.7, ONNX Runtime.",
  ["fire extinguisher", "first-aid kit"], metrics=[("AP", 0.7)], engine="onnxruntime")

E(76, "context-nouns", "detection",
  "On my sailboat I have a masthead thermal camera, a chartplotter, an autopilot and a radar. I want to detect "
  "floating logs and lost shipping containers in the thermal images. 10 fps on the Jetson in the nav station.",
  ["floating log", "shipping container"], speed=(10, "fps"), gpu="gpu", modality="infrared")

E(77, "context-nouns", "segmentation",
  "Our tennis club has clay courts, a net, an umpire chair, a ball machine and a roller. From the clubhouse "
  "camera, segment only the line markings and the wet patches on the clay. mIoU 0.68.",
  ["line marking", "wet patch"], metrics=[("mIoU", 0.68)])

E(78, "context-nouns", "segmentation",
  "Quality room at the pizza factory: a Basler line camera over conveyor three, next to the oven and the "
  "packing robot. For topping coverage, segment the pepperoni, the cheese and the exposed tomato sauce on each "
  "pizza. 40 ms per pizza on a GPU with TensorRT.",
  ["pepperoni", "cheese", "exposed tomato sauce"], speed=(40, "ms"), gpu="gpu", engine="tensorrt")

E(79, "context-nouns", "keypoint",
  "Our prosthetics workshop has two GoPros on tripods, parallel bars, wall mirrors and a therapy dog named "
  "Max. Estimate the keypoints of the amputee trying out a new leg between the bars. AP 0.7, CPU, OpenVINO.",
  ["amputee"], metrics=[("AP", 0.7)], gpu="cpu", engine="openvino")

E(80, "context-nouns", "keypoint",
  "Riding school arena: sand, jumps, poles, the instructor and the riders. I want keypoints of the ponies "
  "only, not the riders. PCK 0.85, 30 fps on a GPU.",
  ["pony"], speed=(30, "fps"), metrics=[("PCK", 0.85)], gpu="gpu")

# ---------------------------------------------------------------- email / chat / ticket
E(81, "email-chat", "classification",
  "Subject: Model request - mattress fabric defects\n\nHi Priya,\n\nFollowing our call, we need a model that "
  "classifies each fabric swatch photo as pilling, snag, colour bleed or defect-free. Top-1 accuracy at least "
  "93%. Deployment target is OpenVINO on the factory's Xeon servers (CPU only).\n\nBest,\nTomasz",
  ["pilling", "snag", "colour bleed", "defect-free"], metrics=[("accuracy", 0.93)], gpu="cpu",
  engine="openvino")

E(82, "email-chat", "classification",
  "[09:12] mara: can we get a classifier for the kombucha SCOBY photos?\n[09:13] jon: which classes\n"
  "[09:13] mara: healthy scoby, mould, kahm yeast\n[09:14] jon: hardware?\n[09:15] mara: jetson nano in the "
  "brew room, tensorrt\n[09:15] jon: accuracy target?\n[09:16] mara: 0.9",
  ["healthy scoby", "mould", "kahm yeast"], metrics=[("accuracy", 0.9)], gpu="gpu", engine="tensorrt")

E(83, "email-chat", "detection",
  "TICKET #4471 | Priority: High\nSummary: terminal safety detector\nDescription: Detect baggage trolleys and "
  "abandoned suitcases in departure-hall CCTV. Model: DETR. Latency <= 70 ms per frame. Runtime: ONNX Runtime.",
  ["baggage trolley", "abandoned suitcase"], model="DETR", speed=(70, "ms"), engine="onnxruntime")

E(84, "email-chat", "detection",
  "Hey team,\n\nquick one from the apiary project: we need to detect wax moth larvae on brood frames in "
  "close-up grayscale photos. AP50 of 0.6 would do. It runs on a Raspberry Pi with ncnn.\n\nThanks, Ines",
  ["wax moth larva"], metrics=[("AP50", 0.6)], gpu="cpu", engine="ncnn", modality="grayscale")

E(85, "email-chat", "segmentation",
  "#ml-requests\n@kim: need segmentation of floodwater in street CCTV during storms\n@raj: model pref?\n"
  "@kim: BiSeNet\n@raj: speed?\n@kim: 20 fps on the GPU box",
  ["floodwater"], model="BiSeNet", speed=(20, "fps"), gpu="gpu")

E(86, "email-chat", "segmentation",
  "Dear team,\n\nour dermatology clinic would like a model that segments vitiligo patches in skin photos. We "
  "would need a Dice of 0.82 and fewer than 10M parameters, running on CPU with ONNX Runtime.\n\nKind "
  "regards,\nDr. Okafor",
  ["vitiligo patch"], params=(10, "M"), metrics=[("dice", 0.82)], gpu="cpu", engine="onnxruntime")

E(87, "email-chat", "keypoint",
  "JIRA DOJO-221: pose model for the judo club. Keypoints of judoka during randori. Acceptance: PCK 0.9, "
  "50 fps, TensorRT on an RTX 4070.",
  ["judoka"], speed=(50, "fps"), metrics=[("PCK", 0.9)], gpu="gpu", engine="tensorrt")

E(88, "email-chat", "keypoint",
  "Hi Sam,\n\nfor the wool-shed ergonomics study we need keypoints of the shearers while they work. Under 5M "
  "parameters please, OpenVINO on the shed's CPU-only mini PC.\n\nCheers,\nBrooke",
  ["shearer"], params=(5, "M"), gpu="cpu", engine="openvino")

# ---------------------------------------------------------------- questions and hedges
E(89, "questions-hedges", "classification",
  "I work at a pawn shop. Would it be possible to have a model say whether a wristwatch in a photo is an "
  "authentic watch or a replica watch? Could it reach 99% precision, maybe? And could it stay under 1 GFLOPs, "
  "if that's doable?",
  ["authentic watch", "replica watch"], flops=(1, "GFLOPs"), metrics=[("precision", 0.99)])

E(90, "questions-hedges", "classification",
  "Is a MobileNet enough to tell apart ripe, underripe and overripe bananas? I think so, so please use it. "
  "Could it run in under 30 ms on a Raspberry Pi, do you think? That's what we'd need.",
  ["ripe banana", "underripe banana", "overripe banana"], model="MobileNet", speed=(30, "ms"), gpu="cpu")

E(91, "questions-hedges", "detection",
  "Could we detect mosquito larvae in water-sample photos? I don't know what's achievable; maybe a recall of "
  "0.8? It will run on our NVIDIA workstation, if that matters.",
  ["mosquito larva"], metrics=[("recall", 0.8)], gpu="gpu")

E(92, "questions-hedges", "detection",
  "Any chance you could build something that finds swimming pools and trampolines in aerial images for a "
  "property insurer? I'd guess a mAP of 0.6 is enough? Should it be YOLOX? I think YOLOX, yes.",
  ["swimming pool", "trampoline"], model="YOLOX", metrics=[("AP", 0.6)])

E(93, "questions-hedges", "segmentation",
  "Do you think you could segment asphalt, gravel and grass in photos of car parks? Could we get an mIoU of "
  "0.7? I believe CPU-only is a must for us... yes, it has to be CPU-only.",
  ["asphalt", "gravel", "grass"], metrics=[("mIoU", 0.7)], gpu="cpu")

E(94, "questions-hedges", "segmentation",
  "The beach council keeps asking how much sargassum washes up each morning. Can a model mark out the "
  "sargassum seaweed in webcam shots? I'd like it built on HRNet-W18. A Dice of 0.7 would already make us "
  "happy. We'd deploy it with ONNX Runtime; is that supported?",
  ["sargassum seaweed"], model="HRNet-W18", metrics=[("dice", 0.7)], engine="onnxruntime")

E(95, "questions-hedges", "keypoint",
  "Is there any way to get keypoints of the cassowaries at our wildlife sanctuary? Perhaps an AP of 0.6? "
  "Something under 20M parameters would be ideal, if possible.",
  ["cassowary"], params=(20, "M"), metrics=[("AP", 0.6)])

E(96, "questions-hedges", "keypoint",
  "How hard would it be to estimate the pose of sitting volleyball players? Would 25 fps on a Jetson Xavier "
  "be realistic? That's what we need, and we'd use TensorRT.",
  ["sitting volleyball player"], speed=(25, "fps"), gpu="gpu", engine="tensorrt")


if __name__ == "__main__":
    assert len(RECS) == 96 and [r["id"] for r in RECS] == ["bl3-%03d" % i for i in range(1, 97)]
    with open(os.path.join(HERE, "ru_blind3.jsonl"), "w") as f:
        for r in RECS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "ru_blind3_styles.tsv"), "w") as f:
        f.write("id\tstyle\ttask\n")
        for row in STYLES:
            f.write("\t".join(row) + "\n")
    print("wrote", len(RECS))
