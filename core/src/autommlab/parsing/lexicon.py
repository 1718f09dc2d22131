"""Vocabulary of the offline parser: model families, datasets, engines, metrics, devices, task cues.

Plain data plus compiled regexes; no logic beyond building the patterns.
"""

from __future__ import annotations

import re

# ----------------------------------------------------------------------------- model families
# Long, distinctive names match case-insensitively; acronyms that are also
# English words or common abbreviations match only as written (case-sensitive).
MODEL_FAMILIES_CI: tuple[str, ...] = (
    # classification
    "ResNet", "ResNeXt", "ResNeSt", "SE-ResNet", "SE-ResNeXt", "Res2Net", "RegNet", "RegNetX", "RegNetY",
    "MobileNet", "MobileOne", "MobileViT", "ShuffleNet", "SqueezeNet", "DenseNet", "EfficientNet",
    "EfficientFormer", "ConvNeXt", "Vision Transformer", "Swin Transformer", "Swin", "Inception", "GoogLeNet",
    "AlexNet", "Xception", "LeNet", "MLP-Mixer", "PoolFormer", "RepVGG", "DarkNet", "CSPDarkNet", "CSPNet",
    "EdgeNeXt", "TinyViT", "ConvMixer", "CrossViT", "HorNet", "DaViT", "RIFormer", "LeViT", "MViT", "T2T-ViT",
    "CaiT", "ViT", "Wide ResNet", "WideResNet", "GhostNet", "MNASNet", "NASNet", "HRNet", "Lite-HRNet", "LiteHRNet",
    "HRFormer", "HigherHRNet",
    # detection
    "Faster R-CNN", "Faster RCNN", "Mask R-CNN", "Mask RCNN", "Cascade Mask R-CNN", "Cascade R-CNN",
    "Cascade RCNN", "Fast R-CNN", "Sparse R-CNN", "Libra R-CNN", "Grid R-CNN", "Dynamic R-CNN", "R-CNN",
    "RetinaNet", "SSDLite", "YOLOX", "YOLOF", "YOLO", "PP-YOLOE", "RTMDet", "RT-DETR", "Deformable DETR",
    "Conditional DETR", "DAB-DETR", "Co-DETR", "CenterNet", "CornerNet", "FoveaBox", "RepPoints", "AutoAssign",
    "EfficientDet", "Grounding DINO", "CentripetalNet",
    # segmentation
    "PSPNet", "DeepLab", "DeepLabV3", "DeepLabV3+", "U-Net", "UNet", "SegFormer", "OCRNet", "BiSeNet",
    "Fast-SCNN", "Fast SCNN", "DDRNet", "PIDNet", "SegNeXt", "Mask2Former", "MaskFormer", "UPerNet", "K-Net",
    "PointRend", "SegNet", "LinkNet",
    # keypoint
    "RTMPose", "RTMO", "ViTPose", "SimCC", "SimpleBaseline", "SimpleBaselines", "Hourglass", "OpenPose",
    "DWPose", "RTMW", "YOLO-Pose",
)
MODEL_FAMILIES_CS: tuple[str, ...] = (
    "DeiT", "BEiT", "VGG", "SSD", "DETR", "DINO", "FCOS", "ATSS", "GFL", "TOOD", "VFNet", "FCN", "STDC",
    "SETR", "CCNet", "DANet", "EncNet", "ICNet", "CGNet", "ERFNet", "MSPN", "DEKR", "GLIP", "DDOD", "DDQ",
    "FSAF", "PAA", "NAS-FPN", "CPM",
    "Segmenter",  # capitalised: the model; "the road-scene segmenter" is a plain noun
)
#: spelled-out names whose usual short form is what users and zoos call the family
MODEL_CANONICAL: dict[str, str] = {"vision transformer": "ViT"}

# variant suffixes: "-50", " 50", "V2", "-B0", "-W32", "-s", "-tiny", "+", "-T"
_VARIANT = (r"(?:(?:[-_ ]?(?:v\d+(?:\.\d+)?[a-z]?(?![a-zA-Z])|\d+(?:x\d+)?[a-z]?|w\d+|b\d+|d\d+|r\d+|l\d+))"
            r"|(?:[-_](?:tiny|small|base|large|huge|nano|medium|micro|lite|xl|[a-z]))(?![a-zA-Z])"
            # "ConvNeXt Tiny": a capitalised size after a space (lower-case "small" is an ordinary word)
            r"|(?-i:\s(?:Tiny|Small|Base|Large|Huge|Nano|Medium|Micro|XL))(?![a-zA-Z])"
            r"|\+|/\d+)*")


def _family_pattern(names: tuple[str, ...]) -> str:
    alts = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"[\s-]?").replace(r"\-", r"[-\s]?") for n in alts)


MODEL_RE_CI = re.compile(rf"(?<![\w-])(?:{_family_pattern(MODEL_FAMILIES_CI)}){_VARIANT}(?![\w])", re.I)
MODEL_RE_CS = re.compile(rf"(?<![\w-])(?:{_family_pattern(MODEL_FAMILIES_CS)}){_VARIANT}(?![\w])")
MODEL_STYLE_SUFFIX = re.compile(r"[-\s](?:style|like|based|ish|type|family|architecture|backbone)$", re.I)

# ----------------------------------------------------------------------------- datasets
DATASETS: dict[str, str] = {
    r"ms[-\s]?coco|coco[-\s]?wholebody|coco": "COCO", r"image[-\s]?net(?:[-\s]?(?:1k|21k|22k))?": "ImageNet",
    r"cifar[-\s]?10(?!0)": "CIFAR-10", r"cifar[-\s]?100": "CIFAR-100", r"(?:pascal[-\s]?)?voc(?:\s?20\d\d)?": "Pascal VOC",
    r"cityscapes": "Cityscapes", r"ade[-\s]?20k": "ADE20K", r"mpii": "MPII", r"ap[-\s]?10k": "AP-10K",
    r"crowdpose": "CrowdPose", r"lvis": "LVIS", r"objects[-\s]?365": "Objects365", r"open[-\s]?images": "Open Images",
    r"kitti": "KITTI", r"camvid": "CamVid", r"mapillary(?:\s+vistas)?": "Mapillary Vistas",
    r"oxford[-\s]?flowers(?:[-\s]?102)?|flowers[-\s]?102": "Oxford Flowers", r"oxford[-\s]?(?:iiit[-\s]?)?pets?": "Oxford-IIIT Pet",
    r"stanford[-\s]?dogs": "Stanford Dogs", r"stanford[-\s]?cars": "Stanford Cars", r"cub[-\s]?200(?:[-\s]?2011)?": "CUB-200",
    r"fashion[-\s]?mnist": "Fashion-MNIST", r"mnist": "MNIST", r"svhn": "SVHN", r"dota": "DOTA",
    r"wider[-\s]?face": "WIDER FACE", r"ochuman": "OCHuman", r"human3\.6m": "Human3.6M", r"coco[-\s]?stuff": "COCO-Stuff",
    r"pascal[-\s]?context": "Pascal Context", r"isaid": "iSAID", r"loveda": "LoveDA", r"potsdam": "Potsdam",
    r"vaihingen": "Vaihingen", r"food[-\s]?101": "Food-101", r"caltech[-\s]?101": "Caltech-101",
    r"places[-\s]?365": "Places365", r"inaturalist": "iNaturalist", r"animal-?pose": "AnimalPose",
    r"horse[-\s]?10": "Horse-10", r"deepfashion2?": "DeepFashion", r"coco[-\s]?stuff164k": "COCO-Stuff",
    r"freihand": "FreiHAND", r"onehand10k": "OneHand10K", r"300w": "300W", r"wflw": "WFLW", r"aflw": "AFLW",
}
DATASET_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<d{i}>{p})" for i, p in enumerate(DATASETS)) + r")(?![\w])",
                        re.I)
DATASET_NAMES: list[str] = list(DATASETS.values())

# ----------------------------------------------------------------------------- engines
ENGINES: dict[str, str] = {
    r"onnx[-\s]?runtime|onnxruntime|onnx[-\s]?rt|\bort\b|onnx|on\s?x\s+runtime": "onnxruntime",
    r"tensor[-\s]?rt|\btrt\b": "tensorrt",
    r"open[-\s]?vino|(?-i:\bOV\b)": "openvino",
    r"ncnn": "ncnn",
}
ENGINE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<e{i}>{p})" for i, p in enumerate(ENGINES)) + r")(?![\w])",
                       re.I)
ENGINE_NAMES: list[str] = list(ENGINES.values())

# ----------------------------------------------------------------------------- devices
GPU_RE = re.compile(
    r"\b(?:gpus?(?![-\s]?less)|graphics?\s+cards?|video\s?cards?|graphics\s+processors?|cuda|nvidia|geforce|jetson(?:\s+(?:nano|xavier(?:\s+nx)?|orin(?:\s+nano)?|tx2|agx))?"
    r"|rtx\s?\d{0,4}|gtx\s?\d{0,4}|tesla|quadro|titan|a100|v100|h100|a10g?|t4|orin|xavier|agx)\b", re.I)
CPU_RE = re.compile(
    r"\b(?:cpus?|cpu[-\s]only|processor\s+only|gpu[-\s]?less|raspberry\s*pi(?:\s*(?:zero(?:\s*2)?(?:\s*w\b)?|pico|\d+(?:\s*model\s*[ab]\+?|[ab]\+?)?))?|(?<=on\sthe\s)raspberry(?!\s+(?:plants?|bush\w*|fruit))|"
    r"(?<=in\sthe\s)raspberry(?!\s+(?:plants?|bush\w*|fruit))|arm(?:[-\s](?:cpu|board|processor|device|soc|core|cortex|chip|based|powered)s?)"
    r"|arm[-\s](?:computer|controller|platform|sbc|single[-\s]board)s?|ryzen|amd\s+(?:cpu|processor)|core\s+i[3579]|"
    r"(?<![\w-])i[3579][-\s](?:laptop|cpu|processor|pc|machine)"
    r"|intel\s+(?:cpu|core|xeon|nuc|i\d)|xeon|microcontrollers?|mcus?|cortex-a\d+)\b", re.I)
#: "ncnn on ARM": the processor family, written in capitals (lower-case "arm" is a body part)
ARM_RE = re.compile(r"\bARM(?:64|v\d+)?\b")
#: a device named in a training context ("trained on a GPU") does not say where the model runs
TRAIN_CONTEXT_RE = re.compile(r"\b(?:train|trained|training|fine-?tune[ds]?)\b(?:\s+\w+){0,4}\s+(?:on|with|using)\s+"
                              r"(?:[\w-]+\s+){0,2}$", re.I)
#: "a GPU for training", "the GPU server we train on"
TRAIN_AFTER_RE = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:for|to)\s+(?:the\s+)?(?:train|training|fine-?tun)\w*|"
                            r"^\s*(?:[\w-]+\s+){0,2}?(?:we|you|they)\s+(?:can\s+)?train\b", re.I)

# ----------------------------------------------------------------------------- modality
MODALITIES: tuple[tuple[str, str], ...] = (
    (r"gr[ae]y[-\s]?scale|black[-\s]and[-\s]white|monochrome|single[-\s]channel", "grayscale"),
    (r"infra[-\s]?red|\bir\b|thermal|night[-\s]vision|nir\b", "infrared"),
    (r"multi[-\s]?spectral|hyper[-\s]?spectral", "multispectral"),
    (r"depth\s+(?:images?|maps?|cameras?|sensors?)|rgb[-\s]?d\b", "depth"),
)

# ----------------------------------------------------------------------------- metrics
# (regex, canonical name as written in parses); longest/most specific first
METRICS: tuple[tuple[str, str], ...] = (
    (r"top[-\s]?5(?:\s+(?:accuracy|acc))?", "top-5 accuracy"),
    (r"top[-\s]?1(?:\s+(?:accuracy|acc))?", "accuracy"),
    (r"pix(?:el)?[-\s]?(?:level\s+)?acc(?:uracy)?\b|\baacc", "pixel accuracy"),
    (r"(?:mean\s+)?intersection[-\s]over[-\s]union|mean\s+iou|m\s?iou|\biou", "mIoU"),
    (r"m?dice(?:\s+(?:coefficient|score|similarity))?", "dice"),
    (r"f1[-\s]?(?:score|measure)?|f[-\s]score|f[-\s]measure", "f1-score"),
    (r"(?:box\s+|bbox\s+)?m?ap\s?@\s?(?:50|0?\.50?)(?![\d%])(?!\s*:)|m?ap[-_]?50(?![\d])(?![-:]95)|"
     r"m?ap\s+at\s+(?:an\s+)?iou\s+(?:threshold\s+)?(?:of\s+)?0?\.50?(?![\d])", "AP50"),
    # "mAP@[.5:.95]", "mAP50-95": the COCO range is plain AP
    (r"(?:(?:box|bbox|mask|keypoint|oks|pose)\s+)?m?ap(?:\s?@\s?\[?\s*0?\.5\s*:\s*0?\.95\s*\]?|[-_]?50[-:]95)?|"
     r"mean\s+average\s+precision|average\s+precision", "AP"),
    (r"pck(?:\s?@\s?0?\.\d+)?", "PCK"),
    (r"precision", "precision"),
    (r"recall|sensitivity", "recall"),
    (r"accuracy|\bacc\b|(?:(?<=%\s)|(?<=percent\s)|(?<=\d\s))accurate\b", "accuracy"),
)
METRIC_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<m{i}>{p})" for i, (p, _) in enumerate(METRICS)) + r")(?![\w])",
                       re.I)
METRIC_NAMES: list[str] = [n for _, n in METRICS]

# ----------------------------------------------------------------------------- tasks
# strength 3 > 2 > 1; the strongest cue wins, ties go to the earlier task in this list
TASK_CUES: tuple[tuple[str, int, str], ...] = (
    ("keypoint", 3, r"key[-\s]?points?|pose(?:s)?\b|pose[-\s]estimation|skeleton|"
                    r"(?<!which\s)landmarks?(?!\s+(?:recognition|classification|classifier|retrieval|it\s+shows))|body\s+joints|"
                    r"key\s+body\s+points|stick\s+figures?|joint\s+positions|(?:dots|points|markers)\s+(?:on|at)\s+(?:the\s+|each\s+|every\s+)?"
                    r"[\w-]+(?:'s|s')\s+(?:shoulders|hips|knees|elbows|wrists|ankles|joints|head|nose|eyes)|"
                    r"(?:locali[sz]\w*|locat\w*|find\w*|track\w*|estimat\w*|detect\w*)\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+)?"
                    r"(?:body\s+)?joints|points\s+along"),
    ("segmentation", 3, r"segment(?!al)\w*|pixel[-\s](?:level|wise)|(?<!m\s)(?<!mm\s)(?<!cm\s)(?<!\xb5m\s)(?<!um\s)(?<!nm\s)per[-\s]pixel|"
                      r"every\s+pixel|each\s+pixel|matting|"
                      r"pixels?\s+(?:by|for)\s+pixels?|"
                      r"(?:pixel|segmentation|binary|instance|object|semantic|accurate|precise|pixel-accurate|"
                      r"pixel-wise|pixel-level)\s+masks?\b|\bmasks?\s+(?:of|for)\s+(?:the\s+|each\s+|every\s+|all\s+)?\w+"),
    ("detection", 2, r"detect\w*|locali[sz]\w*|locate[sd]?|locating|bounding[-\s]box\w*|object\s+detection"),
    ("segmentation", 2, r"background\s+(?:removal|subtraction|replacement|segmentation)|foreground|"
                        r"separat\w*\s+(?:[\w'-]+\s+){0,5}?from\s+(?:the\s+|their\s+|its\s+)?background"),
    ("segmentation", 1, r"extract\w*|outlin\w*|delineat\w*"),
    ("classification", 2, r"classif\w*|categori[sz]\w*|differentiat\w*|tell(?:s|ing)?\s+(?:[\w'-]+\s+){1,4}?from\b|sort(?:s|ing)?\s+(?!of\b|(?:table|line|belt|machine|station|room|cent(?:er|re)|facility|area|plant|hall|robot|bins?|site)\b)|"
                          r"(?:say|tell|decide|determine|check|know|predict)\w*\s+(?:[\w'-]+\s+){0,3}?(?:if|whether|which)\b|grad(?:e|es|ing)\s+(?:[\w'-]+\s+){0,4}?(?:into|as)\b|"
                          r"(?:into|in)\s+(?:\d+|two|three|four|five|six|several|multiple)\s+(?:classes|categories|grades|types|groups|kinds)|tell\w*\s+(?:[\w',-]+\s+){0,8}?apart|tell\s+apart|distinguish\w*|"
                          r"discriminat\w*|sort\w*\s+(?:[\w'-]+\s+){0,4}?into|label\w*\s+(?:[\w'-]+\s+){0,4}?as\b|whether|"
                          r"triag\w*\s+(?:[\w'-]+\s+){0,4}?into|"
                          r"image\s+classifier|is\s+(?:it\s+)?(?:a|an)\s+\w+\s+or\s+(?:a|an)\b"),
    ("classification", 1, r"recogni(?:[sz]\w*|tion)|identify\w*|identifies|which\s+(?:kind|type|class|species|breed)"),
    ("detection", 1, r"find(?:s|ing)?\b|spot(?:s|ting|ted)?\b|count(?:s|ing|ed)?\b|where\s+(?:the\s+)?\w+\s+(?:is|are)"),
    # abbreviations normalise.py leaves as they are ("clf", "seg-model", "cls-head"); it spells out the rest
    ("classification", 2, r"cls\b|clf\b"),
    ("segmentation", 2, r"seg\b"),
)
TASK_RES: tuple[tuple[str, int, re.Pattern[str]], ...] = tuple(
    (task, strength, re.compile(rf"\b(?:{p})", re.I)) for task, strength, p in TASK_CUES)

#: tasks AutoMMLab does not serve: (regex, name used in the error message)
UNSUPPORTED: tuple[tuple[str, str], ...] = (
    (r"(?:multi[-\s]?object|video|object|vehicle|people|person|player)\s+tracking|tracking\s+(?:of\s+)?(?:\w+\s+)?(?:across|over|between|through)\b|"
     r"\btrack(?:s|ing)?\s+(?:the\s+|each\s+|every\s+|all\s+|multiple\s+|individual\s+)?\w+\s+(?:across|over|through|between)\s+(?:\w+\s+)?(?:frames|time|cameras|video)|"
     r"re[-\s]?identification|\breid\b", "video tracking"),
    (r"(?:generat\w*|writ\w*|compos\w*)\s+(?:\w+\s+){0,3}?(?:text|captions?|summar\w*|stories|essays?|poems?|articles?|code|answers?|emails?)|"
     r"text\s+generation|language\s+model|chat\s?bot|\bllm\b", "text generation"),
    (r"(?:generat\w*|synthesi[sz]\w*|creat\w*|draw\w*|paint\w*)\s+(?:new\s+|realistic\s+|fake\s+)?(?:images?|pictures?|photos?|art(?:work)?)|"
     r"image\s+generation|text[-\s]to[-\s]image|diffusion\s+model|style\s+transfer", "image generation"),
    (r"(?:classif\w*|categori[sz]\w*|label\w*|sort\w*|filter\w*|detect\w*)\s+(?:[\w'-]+\s+){0,3}?(?:e-?mails?|sms|"
     r"text\s+messages|tweets|reviews|sentences|paragraphs)\b|sentiment", "text classification"),
    (r"translat\w*", "translation"),
    (r"speech|audio|voice|transcri\w*", "speech/audio"),
    (r"caption\w*", "image captioning"),
    (r"super[-\s]?resolution|upscal\w*|denois\w*|inpaint\w*|deblur\w*", "image restoration/super-resolution"),
    (r"depth\s+estimation|optical\s+flow|3d\s+reconstruction|point\s+clouds?", "3D/depth estimation"),
    (r"\bocr\b|text\s+recognition|read\w*\s+(?:the\s+)?text", "text recognition (OCR)"),
    (r"action\s+recognition|activity\s+recognition|video\s+classification", "video action recognition"),
    (r"forecast\w*|time[-\s]series|stock\s+prices?|tabular", "time-series/tabular prediction"),
)
UNSUPPORTED_RES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b(?:{p})", re.I), name) for p, name in UNSUPPORTED)

SUPPORTED_TASKS_MSG = "classification, detection, segmentation or keypoint (pose) estimation on images"


# ----------------------------------------------------------------------------- model family -> task
# a named model says which task it serves; used only when the text gives no stronger cue
_FAMILY_TASK: dict[str, tuple[str, ...]] = {
    "classification": ("resnet", "resnext", "resnest", "seresnet", "seresnext", "res2net", "regnet", "mobilenet",
                       "mobileone", "mobilevit", "shufflenet", "squeezenet", "densenet", "efficientnet",
                       "efficientformer", "convnext", "vit", "visiontransformer", "swin", "inception", "googlenet",
                       "alexnet", "xception", "lenet", "mlpmixer", "poolformer", "repvgg", "darknet", "cspdarknet",
                       "cspnet", "edgenext", "tinyvit", "convmixer", "crossvit", "hornet", "davit", "riformer", "levit",
                       "mvit", "t2tvit", "cait", "wideresnet", "ghostnet", "mnasnet", "nasnet", "deit", "beit", "vgg"),
    "detection": ("fasterrcnn", "cascadercnn", "fastrcnn", "sparsercnn", "librarcnn", "gridrcnn", "dynamicrcnn",
                  "rcnn", "retinanet", "ssd", "ssdlite", "yolo", "ppyoloe", "rtmdet", "rtdetr", "detr",
                  "deformabledetr", "conditionaldetr", "dabdetr", "codetr", "centernet", "cornernet", "foveabox",
                  "reppoints", "autoassign", "efficientdet", "groundingdino", "centripetalnet", "dino", "fcos", "atss",
                  "gfl", "tood", "vfnet", "glip", "ddod", "ddq", "fsaf", "paa", "nasfpn"),
    "segmentation": ("maskrcnn", "cascademaskrcnn", "pspnet", "deeplab", "unet", "segformer", "ocrnet", "bisenet",
                     "fastscnn", "ddrnet", "pidnet", "segnext", "mask2former", "maskformer", "upernet", "knet",
                     "pointrend", "segnet", "linknet", "segmenter", "fcn", "stdc", "setr", "ccnet", "danet", "encnet",
                     "icnet", "cgnet", "erfnet"),
    "keypoint": ("rtmpose", "rtmo", "vitpose", "simcc", "simplebaseline", "hourglass", "openpose", "dwpose", "rtmw",
                 "yolopose", "higherhrnet", "litehrnet", "hrnet", "hrformer", "mspn", "dekr", "cpm"),
}
_FAMILY_KEYS: list[tuple[str, str]] = sorted(((k, t) for t, ks in _FAMILY_TASK.items() for k in ks),
                                             key=lambda kt: len(kt[0]), reverse=True)


def model_task(name: str) -> str | None:
    """The task a named model family serves ("DeepLabV3+" -> segmentation), None when unknown."""
    norm = re.sub(r"[\s\-_+/.]", "", name.lower())
    for key, task in _FAMILY_KEYS:
        if norm.startswith(key):
            return task
    return None
