"""Hand-written blind set ru_blind2 (ids c-001 .. c-096).

Every request text and every gold parse below was written by hand, one by one.
The only code here is the JSON boilerplate: E() fills in defaults ({0, "none"},
"rgb", "none") for keys a request does not state.

Run:  python3 /work/ru_sets/blind2/make_blind2.py
Writes ru_blind2.jsonl and ru_blind2_styles.tsv next to this file.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REC = []


def E(rid, style, text, task, obj, modality="rgb", specific=(), model="none",
      speed=(0, "none"), flops=(0, "none"), params=(0, "none"), metrics=(),
      gpu="none", engine="none"):
    REC.append((style, {
        "id": rid,
        "requirement": text,
        "parse": {
            "data": {"object": list(obj), "modality": modality, "specific": list(specific)},
            "model": {
                "task": task,
                "specific_model": model,
                "speed": {"value": speed[0], "unit": speed[1]},
                "flops": {"value": flops[0], "unit": flops[1]},
                "parameters": {"value": params[0], "unit": params[1]},
                "metrics": [{"name": n, "value": v} for n, v in metrics],
            },
            "deploy": {"gpu": gpu, "inference engine": engine},
        },
    }))


CLS, DET, SEG, KPT = "classification", "detection", "segmentation", "keypoint"

# ---------------------------------------------------------------- 1. chatty
S = "chatty"
E("c-001", S,
  "Hi there! A bit of background first: my sister-in-law and I run a small tea shop in Porto. We opened in "
  "March 2021 and now sell about 40 kinds of loose-leaf tea, plus ceramic mugs and jars of honey from a farm "
  "down the road. Our intern photographs every incoming batch with an old 24-megapixel Canon, and we lose "
  "hours sorting those photos by hand. What I would love is a model that looks at a photo of the dry leaves "
  "and says whether it is green tea, black tea, oolong or white tea. I don't care about the mugs or the honey "
  "jars in the background. It has to get at least 88% top-1 accuracy, and it will run on the shop laptop, "
  "which has no graphics card at all. Mislabelled stock cost us 1,200 euros last year, so thank you!",
  CLS, ["green tea", "black tea", "oolong", "white tea"],
  metrics=[("accuracy", 0.88)], gpu="cpu")

E("c-002", S,
  "Okay, long story, sorry. Our group has been trapping moths in the orchard behind the institute since 2019, "
  "roughly 300 sticky traps over 12 hectares, and every morning a volunteer called Jonas photographs the cards. "
  "Last season we counted about 18,000 insects by hand, which nobody wants to do again. Another tool already "
  "crops each insect out, so nothing needs to be located. What we want is an EfficientNet-B0 that looks at one "
  "crop and tells us if it is a codling moth, a leafroller or a lacewing. Our old classifier from 2020 "
  "managed 71% accuracy and everyone ignored it. This time the precision must be 0.9 or better. It will be "
  "served from the department server, which has an NVIDIA A100, through ONNX Runtime, and each crop should "
  "take under 5 ms.",
  CLS, ["codling moth", "leafroller", "lacewing"], model="EfficientNet-B0", speed=(5, "ms"),
  metrics=[("precision", 0.9)], gpu="gpu", engine="onnxruntime")

E("c-003", S,
  "Morning! I look after the vehicle marshalling area at a small ferry terminal in Wales: 4 boarding lanes, "
  "2 sailings a day in winter and up to 9 in August, and a ticket office that still prints paper tickets. "
  "Last summer a caravan was waved onto the wrong deck and the crossing left 40 minutes late, which cost us "
  "about 3,000 pounds in refunds. The lane cameras are 1080p, record at 15 fps and hang from the canopy. I need "
  "a detector that finds caravans and horse trailers in those feeds so the marshals get told which lane they "
  "are in; ordinary cars and foot passengers can be ignored. It will run on a Jetson Orin that IT bought for "
  "2,000 pounds, with TensorRT, and must manage at least 10 frames per second. Box AP should be 0.55 or more. "
  "Cheers, Martin",
  DET, ["caravan", "horse trailer"], speed=(10, "fps"), metrics=[("AP", 0.55)], gpu="gpu", engine="tensorrt")

E("c-004", S,
  "So I'm a retired astronomer turned weekend naturalist, and my wife keeps saying I spend too much on gear "
  "(the new telescope was 899 dollars, don't tell her). In April we strapped a grayscale trail camera to a "
  "post by the pond behind our cottage in Vermont, and in three months it shot more than 46,000 pictures, "
  "mostly of reeds and the wooden dock. I would like a detector that finds herons and beavers in those "
  "grayscale frames, because those are the two animals we actually hope to see. The frogs and ducks can be "
  "ignored. My nephew keeps talking about RetinaNet, so let's use a RetinaNet. It can run on my old desktop "
  "with no hurry: 2 seconds per image is fine. Recall should be at least 80%, I hate missing a heron.",
  DET, ["heron", "beaver"], modality="grayscale", model="RetinaNet", speed=(2, "s"),
  metrics=[("recall", 0.8)])

E("c-005", S,
  "Hello, hope your week is going well. I work for a municipal parks department: 27 public parks, the largest "
  "one 54 acres, and maybe 3,000 trees in total. Every spring a drone contractor flies over them and hands us "
  "around 1,500 orthophotos of 5000 by 5000 pixels each. We want to colour every pixel of those photos as "
  "lawn, bare soil or paved path, so that we can measure how much grass the summer festivals wore away. "
  "Benches, bins and the odd dog walker don't need a label. The contractor quoted 4,500 dollars for manual "
  "annotation, which is ridiculous. A mean IoU of at least 0.7 would make the figures trustworthy for the "
  "council. It will run with OpenVINO on an ordinary Intel server, CPU only, since there is no GPU in the "
  "building.",
  SEG, ["lawn", "bare soil", "paved path"], metrics=[("mIoU", 0.7)], gpu="cpu", engine="openvino")

E("c-006", S,
  "Some context first: I'm a second-year PhD student in a dental school in Lyon. Nine of us share one office "
  "and a coffee machine that breaks every Tuesday. My supervisor collected 2,300 intraoral photos between 2017 "
  "and 2022 from 4 clinics, each about 1024 pixels wide. I need a segmentation model that outlines tooth decay "
  "and existing fillings in every photo; gums, lips and the cheek retractor are not classes. She insists on a "
  "UNet because reviewers know it. The Dice coefficient should be 0.88 or above. We have a cluster with RTX "
  "3090 cards, so it will run on GPU. The network must stay below 30 million parameters because we may port "
  "it later. No inference engine has been chosen yet.",
  SEG, ["tooth decay", "filling"], model="UNet", params=(30, "M"), metrics=[("dice", 0.88)], gpu="gpu")

E("c-007", S,
  "Hey! I coach at a trampoline club: 42 kids aged 9 to 16, training in a converted warehouse four evenings a "
  "week from 17:30. The parents chipped in for a 300-dollar action camera on a tripod by the wall, which "
  "records at 60 fps. I'd like to analyse technique by finding the keypoints of each trampolinist in the "
  "footage, so we can check knee bend and arm swing on take-off. The safety mats, the frame and the spotters "
  "don't matter. I've heard HRNet is good, so an HRNet please. We process the videos after the session, so it "
  "can be slowish, but it must stay under 1 second per frame. A PCK of at least 0.8 is what my sports-science "
  "friend recommended. It will run on my MacBook's CPU, there is no NVIDIA anything.",
  KPT, ["trampolinist"], model="HRNet", speed=(1, "s"), metrics=[("PCK", 0.8)], gpu="cpu")

E("c-008", S,
  "Hi, I'm a vet researcher at a water buffalo dairy near Salerno with 210 animals spread over 3 sheds. Since "
  "January we have had thermal cameras in shed 2 (7,000 euros each, ouch) filming the herd at night. Foot "
  "problems cost us roughly 180 euros per case, and we believe the way a buffalo walks gives it away early. "
  "So we want to locate the keypoints of the water buffaloes in those thermal images: hooves, knees, hips, "
  "withers and head. The calves and the mozzarella delivery van in the yard should be ignored. An AP of 0.6 "
  "would be a good first target. The model must be small, five million parameters at most, and run in the "
  "shed on a Jetson Nano with TensorRT at 8 fps or faster.",
  KPT, ["water buffalo"], modality="infrared", speed=(8, "fps"), params=(5, "M"), metrics=[("AP", 0.6)],
  gpu="gpu", engine="tensorrt")

# ---------------------------------------------------------------- 2. terse
S = "terse"
E("c-009", S,
  "task: image cls | classes: pothole / crack / intact asphalt | backbone: MobileNetV3-Small | params <= 2.5M "
  "| acc >= 0.90 | runtime: ORT | HW: ARM CPU",
  CLS, ["pothole", "crack", "intact asphalt"], model="MobileNetV3-Small", params=(2.5, "M"),
  metrics=[("accuracy", 0.9)], gpu="cpu", engine="onnxruntime")

E("c-010", S,
  "solder_joint_classifier:\n  labels: [good joint, cold joint, solder bridge, insufficient solder]\n"
  "  compute: 600 MFLOPs\n  latency: 3 ms/img\n  F1: \">= 0.83\"\n  hw: RTX 4090\n  rt: TRT",
  CLS, ["good joint", "cold joint", "solder bridge", "insufficient solder"], speed=(3, "ms"),
  flops=(600, "MFLOPs"), metrics=[("f1-score", 0.83)], gpu="gpu", engine="tensorrt")

E("c-011", S,
  "DET | airfield perimeter | targets: microlight aircraft, parachutist | cam: PTZ, 4K, 25 fps | "
  "model: YOLOX-s | latency <= 12 ms/img | AP50 >= 0.70 | TRT on A10 GPU",
  DET, ["microlight aircraft", "parachutist"], model="YOLOX-s", speed=(12, "ms"), metrics=[("AP50", 0.7)],
  gpu="gpu", engine="tensorrt")

E("c-012", S,
  "Detector spec. Objects: hard hat; hi-vis vest. Params: < 800K. Compute: < 1.2 GFLOPs. Runtime: ncnn on a "
  "Raspberry Pi 5. mAP: >= 0.45.",
  DET, ["hard hat", "hi-vis vest"], flops=(1.2, "GFLOPs"), params=(800, "K"), metrics=[("AP", 0.45)],
  gpu="cpu", engine="ncnn")

E("c-013", S,
  "seg; classes=[road, sidewalk, curb]; model=SegFormer-B0; mIoU>=0.72; GFLOPs<=8; speed>=30 fps; OV; "
  "Intel CPU",
  SEG, ["road", "sidewalk", "curb"], model="SegFormer-B0", speed=(30, "fps"), flops=(8, "GFLOPs"),
  metrics=[("mIoU", 0.72)], gpu="cpu", engine="openvino")

E("c-014", S,
  "Semantic seg | input: IR | classes: hot spot, solar panel | params: max 12M | pixel acc >= 0.95 | "
  "0.2 s/img | GPU server | engine: n/a",
  SEG, ["hot spot", "solar panel"], modality="infrared", speed=(0.2, "s"), params=(12, "M"),
  metrics=[("pixel accuracy", 0.95)], gpu="gpu")

E("c-015", S,
  "Pose est. for athletics coaching\n* subject: pole vaulter\n* kpts: 17, COCO layout\n* model: RTMPose-m\n"
  "* >= 45 fps\n* ORT\n* GPU: RTX 3060\n* AP >= 0.7",
  KPT, ["pole vaulter"], specific=["COCO"], model="RTMPose-m", speed=(45, "fps"),
  metrics=[("AP", 0.7)], gpu="gpu", engine="onnxruntime")

E("c-016", S,
  "primate lab / home-cage video\nkeypoints: macaque (eyes, shoulders, hands, feet, tail root)\n"
  "model: SimpleBaseline\nparams <= 35M | FLOPs <= 9 GFLOPs\nPCK >= 0.85\ntarget: CPU-only box, OpenVINO",
  KPT, ["macaque"], model="SimpleBaseline", flops=(9, "GFLOPs"), params=(35, "M"), metrics=[("PCK", 0.85)],
  gpu="cpu", engine="openvino")

# ---------------------------------------------------------------- 3. non-native
S = "non-native"
E("c-017", S,
  "Hello, I become from my chef the task to make a model which classifies the pictures of our bakery products: "
  "pretzel, bread roll and croissant. It must run on the cash computer without graphic card, maximal 50 "
  "milliseconds for one picture. The accuracy should be minimum 95 percent. We use already OpenVINO for other "
  "things, so also with OpenVINO please.",
  CLS, ["pretzel", "bread roll", "croissant"], speed=(50, "ms"), metrics=[("accuracy", 0.95)],
  gpu="cpu", engine="openvino")

E("c-018", S,
  "Good morning. I am needing a classification of the leaves of olive tree, if they are healthy or if they have "
  "the peacock spot illness. We have many photos since years. Is possible to use the ConvNeXt-Tiny? The recall "
  "must arrive to 0.9 at least, for not to lose the ill trees. The model will work on the GPU of the "
  "university, with TensorRT.",
  CLS, ["healthy olive leaf", "peacock spot"], model="ConvNeXt-Tiny", metrics=[("recall", 0.9)],
  gpu="gpu", engine="tensorrt")

E("c-019", S,
  "We want detect the fishes on conveyor belt of our factory, the kinds are salmon, tuna and mackerel. The speed "
  "need reach 25 fps on our line computer. Please use Faster R-CNN model. Also precision require 0.92 more than.",
  DET, ["salmon", "tuna", "mackerel"], model="Faster R-CNN", speed=(25, "fps"),
  metrics=[("precision", 0.92)])

E("c-020", S,
  "Need detector for find rust spots and missing bolts on photos of bridge inspection. Photos are grey, "
  "without colours. Model must be not bigger than 20 millions of parameters and work on CPU with ONNX Runtime. "
  "mAP must be minimum 0.5.",
  DET, ["rust spot", "missing bolt"], modality="grayscale", params=(20, "M"), metrics=[("AP", 0.5)],
  gpu="cpu", engine="onnxruntime")

E("c-021", S,
  "Bonjour, I search a model for to segment the vines and the grass between the rows on the images of our "
  "drone. The model must do the inference in less of 100 ms by image and have less of 15 GFLOPs. For the "
  "evaluation we want a mean IoU superior to 0.65. We will deploy it with ONNX Runtime.",
  SEG, ["vine", "grass"], speed=(100, "ms"), flops=(15, "GFLOPs"), metrics=[("mIoU", 0.65)],
  engine="onnxruntime")

E("c-022", S,
  "Please, I want segmentation model for rice field picture. Classes is rice plant, weed and water. Model name "
  "DeepLabV3+ is good. It run on Jetson Xavier. Dice coefficient want 0.8 or more. Parameter number under 45M.",
  SEG, ["rice plant", "weed", "water"], model="DeepLabV3+", params=(45, "M"), metrics=[("dice", 0.8)],
  gpu="gpu")

E("c-023", S,
  "Hi, I am developing one app for the students of capoeira and I need to estimate the points of the body of "
  "the capoeira player when he makes the movements in the roda. The app runs in the CPU of the cellphone, "
  "without GPU, with ncnn. The time for each image can not pass of 30 ms. An AP of 0.65 is sufficient.",
  KPT, ["capoeira player"], speed=(30, "ms"), metrics=[("AP", 0.65)], gpu="cpu", engine="ncnn")

E("c-024", S,
  "Kindly do the needful: we require keypoint model for the elephants in our wildlife sanctuary camera "
  "footage. The cameras are thermal type only. Model should be of maximum 3 GFLOPs and should give AP of "
  "minimum 0.55. Deployment we are planning on OpenVINO only.",
  KPT, ["elephant"], modality="infrared", flops=(3, "GFLOPs"), metrics=[("AP", 0.55)], engine="openvino")

# ---------------------------------------------------------------- 4. units-in-words
S = "units-in-words"
E("c-025", S,
  "I want a classifier that tells whether a banknote photo shows a five euro note, a ten euro note or a twenty "
  "euro note. It has to answer in under a quarter of a second on a CPU, have fewer than one and a half million "
  "parameters, and reach an accuracy of zero point nine eight.",
  CLS, ["five euro note", "ten euro note", "twenty euro note"], speed=(0.25, "s"), params=(1.5, "M"),
  metrics=[("accuracy", 0.98)], gpu="cpu")

E("c-026", S,
  "Build me a model that recognises which musical instrument is in a photo: violin, cello, trumpet or flute. "
  "Keep it to four hundred thousand parameters and under three hundred million floating point operations, "
  "and give me an F1 score of at least eighty-five percent. It will be exported to ncnn.",
  CLS, ["violin", "cello", "trumpet", "flute"], flops=(300, "MFLOPs"), params=(400, "K"),
  metrics=[("f1-score", 0.85)], engine="ncnn")

E("c-027", S,
  "We need to detect shopping carts and shopping baskets in supermarket aisle images. Speed: no fewer than "
  "twenty frames each second on the GPU. Size: below seven million parameters. Mean average precision: zero "
  "point six two or better.",
  DET, ["shopping cart", "shopping basket"], speed=(20, "fps"), params=(7, "M"), metrics=[("AP", 0.62)],
  gpu="gpu")

E("c-028", S,
  "Our maritime monitoring group wants offshore platforms and supply vessels detected in infrared satellite "
  "scenes. Each scene must be done in no more than two seconds, the compute must stay within one teraflop, and "
  "recall has to be at least ninety-one percent. Deployment goes through OpenVINO.",
  DET, ["offshore platform", "supply vessel"], modality="infrared", speed=(2, "s"), flops=(1, "TFLOPs"),
  metrics=[("recall", 0.91)], engine="openvino")

E("c-029", S,
  "Outline the spleen and the pancreas in abdominal CT slices, which are grayscale of course. Each slice should "
  "take less than half a second, the network should stay under twenty-five million parameters, and the Dice "
  "score must be at least zero point nine one. Export to ONNX Runtime please.",
  SEG, ["spleen", "pancreas"], modality="grayscale", speed=(0.5, "s"), params=(25, "M"),
  metrics=[("dice", 0.91)], engine="onnxruntime")

E("c-030", S,
  "For our glaciology group: a lightweight network that labels glacier ice and meltwater ponds pixel by pixel "
  "in summer satellite tiles. Forty milliseconds per tile at most, two point five billion FLOPs at most, and "
  "pixel accuracy of ninety-three percent.",
  SEG, ["glacier ice", "meltwater pond"], speed=(40, "ms"), flops=(2.5, "GFLOPs"),
  metrics=[("pixel accuracy", 0.93)])

E("c-031", S,
  "For a bowing-technique tutor, find the shoulder, elbow and wrist positions of each violinist at thirty "
  "frames per second or more, using under one point two gigaflops, on a laptop GPU through TensorRT, with a "
  "PCK of zero point nine.",
  KPT, ["violinist"], speed=(30, "fps"), flops=(1.2, "GFLOPs"), metrics=[("PCK", 0.9)],
  gpu="gpu", engine="tensorrt")

E("c-032", S,
  "We run an ostrich farm with a small racing track and want the pose of each ostrich in our finish-line "
  "photos. The model may have no more than nine hundred thousand parameters, must finish a photo within one "
  "and a half seconds on a plain CPU, and should reach an AP of zero point five eight.",
  KPT, ["ostrich"], speed=(1.5, "s"), params=(900, "K"), metrics=[("AP", 0.58)], gpu="cpu")

# ---------------------------------------------------------------- 5. correction
S = "correction"
E("c-033", S,
  "We photograph every jar that leaves the apiary and want each one sorted as crystallised, liquid or cloudy "
  "honey. No wait, forget cloudy, the three classes are crystallised, liquid and creamed honey. Top-1 accuracy "
  "of 0.9 or higher.",
  CLS, ["crystallised honey", "liquid honey", "creamed honey"], metrics=[("accuracy", 0.9)])

E("c-034", S,
  "I need an image classifier for a recycling bin: glass, paper or metal. Let's use a ResNet-18. Actually, "
  "make that a MobileNetV2, because it has to run on a Raspberry Pi 4 with ncnn. At least 12 fps.",
  CLS, ["glass", "paper", "metal"], model="MobileNetV2", speed=(12, "fps"), gpu="cpu", engine="ncnn")

E("c-035", S,
  "Every night the depot photographs the carriages that come back in. Find graffiti tags and broken windows on "
  "them. We'll deploy with OpenVINO. Scratch that, the depot's edge box is a Jetson, so TensorRT it is. Under "
  "15 ms per image, AP 0.5.",
  DET, ["graffiti tag", "broken window"], speed=(15, "ms"), metrics=[("AP", 0.5)],
  gpu="gpu", engine="tensorrt")

E("c-036", S,
  "Fly-tipping patrol: find dumped mattresses and sofas on pavements in the council's street-camera stills. "
  "Keep it under 5M params... sorry, I meant 50M params, that was a typo. Precision >= 0.8.",
  DET, ["mattress", "sofa"], params=(50, "M"), metrics=[("precision", 0.8)])

E("c-037", S,
  "Segment potholes and manhole covers in road-survey images. We need a Dice of 0.8; sorry, not Dice but "
  "mIoU, so mIoU 0.8. It runs on a GPU box with ONNX Runtime at 50 fps.",
  SEG, ["pothole", "manhole cover"], speed=(50, "fps"), metrics=[("mIoU", 0.8)], gpu="gpu",
  engine="onnxruntime")

E("c-038", S,
  "Segmentation of sea ice and open water in satellite images with PSPNet. It will run on our GPU server. I "
  "meant the CPU server, the GPU one is booked until next year. 3 seconds per image is fine, pixel accuracy 0.9.",
  SEG, ["sea ice", "open water"], model="PSPNet", speed=(3, "s"), metrics=[("pixel accuracy", 0.9)],
  gpu="cpu")

E("c-039", S,
  "Our hutch cameras film pets all day, and we'd like keypoints on the rabbits. Make that rabbits and guinea "
  "pigs, we keep both. RTMPose-s, at least 20 fps on CPU through ONNX Runtime.",
  KPT, ["rabbit", "guinea pig"], model="RTMPose-s", speed=(20, "fps"), gpu="cpu", engine="onnxruntime")

E("c-040", S,
  "Pose estimation for flamenco dancers in the academy's rehearsal videos, 25 fps. Actually, the real spec is "
  "40 ms per frame, forget the fps. Keypoint AP 0.72 and at most 5 GFLOPs.",
  KPT, ["flamenco dancer"], speed=(40, "ms"), flops=(5, "GFLOPs"), metrics=[("AP", 0.72)])

# ---------------------------------------------------------------- 6. multi-constraint
S = "multi-constraint"
E("c-041", S,
  "I need an image classifier that sorts coffee beans into the grades specialty, premium and defective, "
  "running on an NVIDIA T4 with TensorRT at no more than 4 ms per image, using fewer than 30M parameters and "
  "under 5 GFLOPs, and hitting at least 93% accuracy and a precision of 0.9.",
  CLS, ["specialty", "premium", "defective"], speed=(4, "ms"), flops=(5, "GFLOPs"), params=(30, "M"),
  metrics=[("accuracy", 0.93), ("precision", 0.9)], gpu="gpu", engine="tensorrt")

E("c-042", S,
  "Please train a classifier that sorts close-up photos of circuit breakers into normal, discoloured casing and "
  "burnt contact, keeping it under 1M parameters and under 150 MFLOPs so that it runs with ncnn on the ARM CPU of our "
  "handheld scanner at 15 fps, with a recall of at least 0.95.",
  CLS, ["normal", "discoloured casing", "burnt contact"], speed=(15, "fps"), flops=(150, "MFLOPs"), params=(1, "M"),
  metrics=[("recall", 0.95)], gpu="cpu", engine="ncnn")

E("c-043", S,
  "Build a DETR-based detector that finds pipettes, beakers and centrifuge tubes on lab benches, running on a "
  "CPU with OpenVINO within 0.3 seconds per image, below 40M parameters, with an AP of at least 0.48 and an AP50 "
  "of at least 0.7.",
  DET, ["pipette", "beaker", "centrifuge tube"], model="DETR", speed=(0.3, "s"), params=(40, "M"),
  metrics=[("AP", 0.48), ("AP50", 0.7)], gpu="cpu", engine="openvino")

E("c-044", S,
  "We need to detect seals, sea lions and walruses in aerial beach images with an SSD model that runs on the GPU "
  "through ONNX Runtime in under 20 ms, uses less than 25 GFLOPs, and reaches a recall of 0.85 and an F1 score "
  "of 0.8.",
  DET, ["seal", "sea lion", "walrus"], model="SSD", speed=(20, "ms"), flops=(25, "GFLOPs"),
  metrics=[("recall", 0.85), ("f1-score", 0.8)], gpu="gpu", engine="onnxruntime")

E("c-045", S,
  "Segment tumour core, necrosis and edema in grayscale MRI slices with a model under 60 million parameters that "
  "processes a whole scan in under 2 minutes on a GPU and reaches a Dice of 0.85 and an mIoU of 0.75.",
  SEG, ["tumour core", "necrosis", "edema"], modality="grayscale", speed=(2, "min"), params=(60, "M"),
  metrics=[("dice", 0.85), ("mIoU", 0.75)], gpu="gpu")

E("c-046", S,
  "Train a lightweight segmentation model for our window-cleaning robot that separates glass, window frame and "
  "bird droppings at 15 fps on the robot's Raspberry Pi with ncnn, with under 500 MFLOPs and 1.5M parameters and "
  "a mean IoU of at least 0.6.",
  SEG, ["glass", "window frame", "bird droppings"], speed=(15, "fps"), flops=(500, "MFLOPs"),
  params=(1.5, "M"), metrics=[("mIoU", 0.6)], gpu="cpu", engine="ncnn")

E("c-047", S,
  "The wildlife park wants body keypoints of its red pandas from the enclosure cameras, using HRNet-W48 on the "
  "GPU with TensorRT at a minimum of 15 fps, within 70 million parameters and 20 GFLOPs, reaching an AP of "
  "0.68 as well as a PCK of 0.88.",
  KPT, ["red panda"], model="HRNet-W48", speed=(15, "fps"), flops=(20, "GFLOPs"), params=(70, "M"),
  metrics=[("AP", 0.68), ("PCK", 0.88)], gpu="gpu", engine="tensorrt")

E("c-048", S,
  "I want a keypoint estimator for trout (snout, eye, fin bases, tail fork) in grayscale hatchery footage that "
  "runs on the feeder's ARM CPU at 8 ms per frame or faster, stays below 600K parameters and achieves a PCK of "
  "0.93.",
  KPT, ["trout"], modality="grayscale", speed=(8, "ms"), params=(600, "K"), metrics=[("PCK", 0.93)],
  gpu="cpu")

# ---------------------------------------------------------------- 7. split-metric
S = "split-metric"
E("c-049", S,
  "We sort donated clothes at a charity and want photos classified as shirt, trousers, dress or jacket. The "
  "number we'll judge it by is top-1 accuracy. Get it to 0.87 or higher. It has to run on the donation "
  "centre's old PC, which has no GPU, via OpenVINO.",
  CLS, ["shirt", "trousers", "dress", "jacket"], metrics=[("accuracy", 0.87)], gpu="cpu", engine="openvino")

E("c-050", S,
  "Classify photos of Japanese dishes: ramen, sushi, tempura, udon and gyoza. Top-5 accuracy is the number our "
  "product manager watches. She wants it at 99%. Top-1 accuracy is tracked as well. There we'd like 0.9. Please "
  "base it on a Swin-T.",
  CLS, ["ramen", "sushi", "tempura", "udon", "gyoza"], model="Swin-T",
  metrics=[("top-5 accuracy", 0.99), ("accuracy", 0.9)])

E("c-051", S,
  "Detect cracked eggs and dirty eggs on the grading line. Recall is what matters most to us. Aim for 0.9 or "
  "better. Precision is nice to have, no target. It runs on the line's industrial PC at 60 fps.",
  DET, ["cracked egg", "dirty egg"], speed=(60, "fps"), metrics=[("recall", 0.9)])

E("c-052", S,
  "A detector for traffic cones and road barriers in dashcam frames. Our benchmark reports AP50. That has to "
  "reach 0.78 at minimum. Deploy with TensorRT; the hardware isn't decided.",
  DET, ["traffic cone", "road barrier"], metrics=[("AP50", 0.78)], engine="tensorrt")

E("c-053", S,
  "Segment the sclera, iris and pupil in close-up eye images. We measure with Dice. We want 0.9 or more on the "
  "test split. Under 5M parameters, ncnn on an ARM board.",
  SEG, ["sclera", "iris", "pupil"], params=(5, "M"), metrics=[("dice", 0.9)], gpu="cpu", engine="ncnn")

E("c-054", S,
  "After the wildfire we flew a drone over the valley, and now we want the burn scars segmented. Our metric "
  "is intersection over union. It should come out above 0.7. The model must process each picture in 1.5 s.",
  SEG, ["burn scar"], speed=(1.5, "s"), metrics=[("mIoU", 0.7)])

E("c-055", S,
  "Body keypoints for BMX riders doing tricks in our competition clips. PCK is how we evaluate. The target is "
  "0.82. It runs on a GPU via ONNX Runtime at 100 fps.",
  KPT, ["BMX rider"], speed=(100, "fps"), metrics=[("PCK", 0.82)], gpu="gpu", engine="onnxruntime")

E("c-056", S,
  "Locate keypoints on zebrafish larvae in the lab's microscope recordings. Average precision is how we score "
  "it. It should reach seventy percent. The model also has to stay below 2 GFLOPs.",
  KPT, ["zebrafish larva"], flops=(2, "GFLOPs"), metrics=[("AP", 0.7)])

# ---------------------------------------------------------------- 8. task-by-outcome
S = "task-by-outcome"
E("c-057", S,
  "I need a recogniser for our vending machine that tells me which of three drinks the customer is holding up "
  "to the camera: cola, orange soda or sparkling water. 30 ms per image on the machine's CPU.",
  CLS, ["cola", "orange soda", "sparkling water"], speed=(30, "ms"), gpu="cpu")

E("c-058", S,
  "Build a sorter for our recycling line: each photo shows one item, and the model decides whether it is a PET "
  "bottle, an HDPE container or an aluminium can. EfficientNet-B2, 0.92 accuracy, OpenVINO.",
  CLS, ["PET bottle", "HDPE container", "aluminium can"], model="EfficientNet-B2",
  metrics=[("accuracy", 0.92)], engine="openvino")

E("c-059", S,
  "Our rowing-lake webcam posts a still every minute. Could the tool draw a box around every swan and every "
  "pedal boat it shows? The old office machine that will run it has no GPU, so keep each still at 200 ms or "
  "less.",
  DET, ["swan", "pedal boat"], speed=(200, "ms"), gpu="cpu")

E("c-060", S,
  "I want to count the sheep and the lambs in drone photos of a hillside by putting a bounding box on each "
  "animal. Keep it under 5M parameters with a mAP of 0.4, exported to ONNX Runtime.",
  DET, ["sheep", "lamb"], params=(5, "M"), metrics=[("AP", 0.4)], engine="onnxruntime")

E("c-061", S,
  "Paint every pixel of mould and every pixel of burnt crust in photos of toast. Budget 2 GFLOPs, Dice 0.75, "
  "TensorRT on a GPU.",
  SEG, ["mould", "burnt crust"], flops=(2, "GFLOPs"), metrics=[("dice", 0.75)], gpu="gpu",
  engine="tensorrt")

E("c-062", S,
  "My photo-editing plug-in has to mask out the sky and the lake in landscape shots, so users can swap them "
  "for something prettier. One second per photo is fine, and mIoU 0.8 is the quality bar.",
  SEG, ["sky", "lake"], speed=(1, "s"), metrics=[("mIoU", 0.8)])

E("c-063", S,
  "I want to track the joints (base, shoulder, elbow, wrist, gripper) of the robot arms in our work-cell "
  "camera feed, 25 fps on a Jetson.",
  KPT, ["robot arm"], speed=(25, "fps"), gpu="gpu")

E("c-064", S,
  "For each weightlifter in competition footage, tell me where their wrists, elbows, hips, knees and ankles are "
  "in every frame. ViTPose is fine and it may be big, up to 1B parameters. AP 0.75.",
  KPT, ["weightlifter"], model="ViTPose", params=(1, "B"), metrics=[("AP", 0.75)])

# ---------------------------------------------------------------- 9. list-shapes
S = "list-shapes"
E("c-065", S,
  "For the almond plant: a classifier to distinguish between intact blanched almonds, chipped almonds and "
  "doubles as they drop past the camera. Under 10 ms, GPU, TensorRT.",
  CLS, ["intact blanched almond", "chipped almond", "double"], speed=(10, "ms"), gpu="gpu",
  engine="tensorrt")

E("c-066", S,
  "Classify each blood-smear crop as either a healthy red blood cell or a parasitized one. Under 3M "
  "parameters, precision 0.95, ONNX Runtime.",
  CLS, ["healthy red blood cell", "parasitized red blood cell"], params=(3, "M"),
  metrics=[("precision", 0.95)], engine="onnxruntime")

E("c-067", S,
  "Detection: sedans vs pickup trucks vs motorbikes in toll-plaza footage. 30 fps, mAP 0.6.",
  DET, ["sedan", "pickup truck", "motorbike"], speed=(30, "fps"), metrics=[("AP", 0.6)])

E("c-068", S,
  "Detect the following in supermarket shelf photos: 1) price tag, 2) empty shelf slot, 3) misplaced product. "
  "OpenVINO on CPU, 0.5 s per photo, precision 0.85.",
  DET, ["price tag", "empty shelf slot", "misplaced product"], speed=(0.5, "s"),
  metrics=[("precision", 0.85)], gpu="cpu", engine="openvino")

E("c-069", S,
  "Segmentation classes: asphalt / lane marking / crosswalk / vehicle / pedestrian, in bird's-eye images of a "
  "parking lot. BiSeNetV2, 50 ms per image on the GPU.",
  SEG, ["asphalt", "lane marking", "crosswalk", "vehicle", "pedestrian"], model="BiSeNetV2",
  speed=(50, "ms"), gpu="gpu")

E("c-070", S,
  "Segment the two weed species (dandelion, thistle) as well as the soybean plants in field images. mIoU 0.7, "
  "10 GFLOPs max, ncnn on the field robot's ARM CPU.",
  SEG, ["dandelion", "thistle", "soybean plant"], flops=(10, "GFLOPs"), metrics=[("mIoU", 0.7)],
  gpu="cpu", engine="ncnn")

E("c-071", S,
  "Our camera-trap project needs keypoints for three species (red fox, Eurasian badger, roe deer). Target AP "
  "0.5, and each image should take 20 ms.",
  KPT, ["red fox", "Eurasian badger", "roe deer"], speed=(20, "ms"), metrics=[("AP", 0.5)])

E("c-072", S,
  "Polo broadcasts: two kinds of keypoint targets, namely the polo players as well as the polo ponies under "
  "them. Under 8M parameters; TensorRT.",
  KPT, ["polo player", "polo pony"], params=(8, "M"), engine="tensorrt")

# ---------------------------------------------------------------- 10. context-nouns
S = "context-nouns"
E("c-073", S,
  "Our ceiling-mounted, slightly fisheye camera above the self-checkout scale (a Basler with a 4 mm lens) "
  "should feed a lightweight classifier that says whether the item is a banana, an avocado or a mango. The "
  "till is an Intel NUC without any GPU, and we use OpenVINO. 20 ms max.",
  CLS, ["banana", "avocado", "mango"], speed=(20, "ms"), gpu="cpu", engine="openvino")

E("c-074", S,
  "A robust classifier for dashcam frames shot in rain, fog and at night, with a windshield-mounted wide-angle "
  "camera. Classes: dry road, wet road, snowy road, icy road. Each of our delivery vans has an NVIDIA Jetson "
  "Orin. ResNet-34, accuracy 0.9.",
  CLS, ["dry road", "wet road", "snowy road", "icy road"], model="ResNet-34", metrics=[("accuracy", 0.9)],
  gpu="gpu")

E("c-075", S,
  "From a pole-mounted camera 8 m up, looking down at a rural crossing in low winter sun, detect tractors and "
  "horse-drawn carts. The electronics sit in a weatherproof enclosure with a Rockchip board, so ncnn. "
  "Lightweight please, under 3M params.",
  DET, ["tractor", "horse-drawn cart"], params=(3, "M"), gpu="cpu", engine="ncnn")

E("c-076", S,
  "With our handheld thermal camera (a FLIR on a telescopic pole) we inspect attics; detect wasp nests and bats "
  "in those thermal images. A robust model with mAP 0.45, TensorRT on the RTX laptop.",
  DET, ["wasp nest", "bat"], modality="infrared", metrics=[("AP", 0.45)], gpu="gpu", engine="tensorrt")

E("c-077", S,
  "A top-down camera over our CNC router, macro lens and ring light, dusty workshop: segment wood knots and "
  "resin pockets on the boards. UPerNet, mIoU 0.65, 30 ms, ONNX Runtime.",
  SEG, ["wood knot", "resin pocket"], model="UPerNet", speed=(30, "ms"), metrics=[("mIoU", 0.65)],
  engine="onnxruntime")

E("c-078", S,
  "Underwater ROV with a dome-port GoPro, murky green water and strong backscatter from the lamps: segment the "
  "seagrass and the sandy bottom. Compact model, under 200 MFLOPs, running on the ROV's Raspberry Pi.",
  SEG, ["seagrass", "sandy bottom"], flops=(200, "MFLOPs"), gpu="cpu")

E("c-079", S,
  "Side-mounted high-speed camera at the track, backlit, telephoto lens, recording at 500 fps: estimate the "
  "keypoints of the racing greyhounds. The model itself only needs 120 fps, on a GPU with TensorRT.",
  KPT, ["greyhound"], speed=(120, "fps"), gpu="gpu", engine="tensorrt")

E("c-080", S,
  "Wall-mounted wide-angle webcam in a dim community hall, backlit by a window: I want a compact, robust pose "
  "model for tai chi students, on my old ThinkPad's CPU via ONNX Runtime, 0.1 s per frame, under 2M params.",
  KPT, ["tai chi student"], speed=(0.1, "s"), params=(2, "M"), gpu="cpu", engine="onnxruntime")

# ---------------------------------------------------------------- 11. email/chat
S = "email/chat"
E("c-081", S,
  "Subject: Re: label checker\n\nHi Priya,\n\n> Can you send me the specs for the label checker?\n\nSure. The "
  "camera looks at each bottle and the model should classify it as correct label, misaligned label or missing "
  "label. Accuracy needs to be 0.97 or better.\n\nOh, and IT says it must run on the existing NVIDIA box with "
  "TensorRT.\n\nBest,\nTom\nQA Lead, Plant 3\n+44 1632 960 118",
  CLS, ["correct label", "misaligned label", "missing label"], metrics=[("accuracy", 0.97)], gpu="gpu",
  engine="tensorrt")

E("c-082", S,
  "[09:14] Ana: hey, for the leaf project, what do we need?\n[09:15] Ben: image classifier for tomato leaves: "
  "healthy, early blight, late blight, leaf mold\n[09:15] Ben: MobileNetV3-Large\n[09:16] Ana: speed?\n"
  "[09:16] Ben: 25 ms on the phone CPU, ncnn\n[09:17] Ana: metric?\n[09:17] Ben: F1 0.88",
  CLS, ["healthy", "early blight", "late blight", "leaf mold"], model="MobileNetV3-Large", speed=(25, "ms"),
  metrics=[("f1-score", 0.88)], gpu="cpu", engine="ncnn")

E("c-083", S,
  "Hi team,\n\nFollowing up on Thursday's call (thanks Marco for the minutes). What the port authority wants:\n"
  "- a detector for shipping containers and straddle carriers in the quay cameras\n- CPU only, their servers "
  "have no GPUs\n- OpenVINO\n- 5 fps is enough\n- precision 0.9\n\nMarco, the minutes say 10 fps, but they "
  "confirmed 5 fps by phone.\n\nRegards,\nElif",
  DET, ["shipping container", "straddle carrier"], speed=(5, "fps"), metrics=[("precision", 0.9)],
  gpu="cpu", engine="openvino")

E("c-084", S,
  "> Lukas wrote: do we have a spec for the vineyard drone yet?\n\nYes! Detect grape clusters in the canopy "
  "images. Deformable DETR, under 100 GFLOPs, AP 0.5, running on the drone's Jetson.\n\n-- Sofia",
  DET, ["grape cluster"], model="Deformable DETR", flops=(100, "GFLOPs"), metrics=[("AP", 0.5)], gpu="gpu")

E("c-085", S,
  "Dear Dr. Okafor,\n\nThank you for your message of 12 May. To summarise our needs for the pathology project: "
  "we want to segment tumour epithelium and stroma in H&E whole-slide images. Each slide may take up to "
  "4 minutes, and the Dice score must be 0.82 or higher. We will run it on our GPU workstation.\n\nKind "
  "regards,\nHanna Berg\nDepartment of Pathology",
  SEG, ["tumour epithelium", "stroma"], speed=(4, "min"), metrics=[("dice", 0.82)], gpu="gpu")

E("c-086", S,
  "#roof-survey thread\n> Jin: what exactly do we need from the model?\nMaya: segment green roofs and skylights "
  "in the aerial tiles, 300 ms per tile, mIoU 0.7, deployed with OpenVINO\nJin: thanks!",
  SEG, ["green roof", "skylight"], speed=(300, "ms"), metrics=[("mIoU", 0.7)], engine="openvino")

E("c-087", S,
  "Hi Sam,\n\nRe the zoo's behaviour study: we need keypoints of the meerkats in the enclosure videos. The model "
  "we tried in 2023 got an AP of 0.41; the new one needs an AP of 0.6. It will run on the zoo's office PC, CPU "
  "only, through ONNX Runtime.\n\nThanks,\nDana",
  KPT, ["meerkat"], metrics=[("AP", 0.6)], gpu="cpu", engine="onnxruntime")

E("c-088", S,
  "> Can we get hand pose for the surgical robot?\n\nNot hands, the instruments: forceps and needle holders. "
  "Keypoints on their tips and hinges. 30 fps, GPU, TensorRT, under 10M params.",
  KPT, ["forceps", "needle holder"], speed=(30, "fps"), params=(10, "M"), gpu="gpu", engine="tensorrt")

# ---------------------------------------------------------------- 12. questions-and-hedges
S = "questions-and-hedges"
E("c-089", S,
  "Would it be possible to get a classifier that tells whether a satellite tile shows forest, farmland, urban "
  "area or water? Ideally no more than 5M parameters, and could we maybe hit 0.9 accuracy at the very least? "
  "≤ 50 ms per tile would be great.",
  CLS, ["forest", "farmland", "urban area", "water"], speed=(50, "ms"), params=(5, "M"),
  metrics=[("accuracy", 0.9)])

E("c-090", S,
  "Could we maybe get a ViT-B/16 that labels photos of buildings as art nouveau, bauhaus or brutalist? No "
  "slower than 10 fps on an RTX card, FLOPs ≤ 20 GFLOPs, precision >= 0.8 if possible.",
  CLS, ["art nouveau", "bauhaus", "brutalist"], model="ViT-B/16", speed=(10, "fps"), flops=(20, "GFLOPs"),
  metrics=[("precision", 0.8)], gpu="gpu")

E("c-091", S,
  "Rangers ask: is it doable to spot hikers and campfires with bounding boxes in watchtower panoramas? 2 s per "
  "panorama tops, OpenVINO, recall >= 0.9, and ideally no more than 1.5 TFLOPs?",
  DET, ["hiker", "campfire"], speed=(2, "s"), flops=(1.5, "TFLOPs"), metrics=[("recall", 0.9)],
  engine="openvino")

E("c-092", S,
  "Would an RTMDet-m work for detecting beach litter, that is plastic bags, cans and cigarette butts? Max "
  "100 ms per image, and mAP >= 0.4 if we can.",
  DET, ["plastic bag", "can", "cigarette butt"], model="RTMDet-m", speed=(100, "ms"), metrics=[("AP", 0.4)])

E("c-093", S,
  "Would it be possible to segment chewing-gum stains in pavement scans with 300K parameters tops? A Dice of at "
  "least 0.7 would be great. We deploy with ncnn.",
  SEG, ["chewing-gum stain"], params=(300, "K"), metrics=[("dice", 0.7)], engine="ncnn")

E("c-094", S,
  "Could we maybe get a model that segments people and bicycles in bike-lane footage, at least 20 fps, no "
  "bigger than 50 GFLOPs, mIoU >= 0.6, on an NVIDIA GPU with ONNX Runtime?",
  SEG, ["person", "bicycle"], speed=(20, "fps"), flops=(50, "GFLOPs"), metrics=[("mIoU", 0.6)], gpu="gpu",
  engine="onnxruntime")

E("c-095", S,
  "Would it be possible to estimate the poses of fencers in tournament video with a big model, 0.6B parameters "
  "max, and an AP of at least 0.78? Speed doesn't matter.",
  KPT, ["fencer"], params=(0.6, "B"), metrics=[("AP", 0.78)])

E("c-096", S,
  "Could we perhaps get keypoints of magpies in rooftop footage, no slower than 40 ms, CPU only, with a PCK of "
  "0.75 at the very least, using OpenVINO?",
  KPT, ["magpie"], speed=(40, "ms"), metrics=[("PCK", 0.75)], gpu="cpu", engine="openvino")


if __name__ == "__main__":
    assert len(REC) == 96
    with open(os.path.join(HERE, "ru_blind2.jsonl"), "w") as f:
        for _, r in REC:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "ru_blind2_styles.tsv"), "w") as f:
        f.write("id\tstyle\ttask\n")
        for s, r in REC:
            f.write(f"{r['id']}\t{s}\t{r['parse']['model']['task']}\n")
    print("wrote", len(REC))
