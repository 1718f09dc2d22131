"""The RU-LLaMA prompt and what the model must write.

The paper's RU-LLaMA is instructed to read the user's requirement and
output the parse as JSON with ``data``/``model``/``deploy``. The same
messages are used for finetuning pairs and at inference, so an adapter
trained with ``autommlab ru finetune`` sees exactly what it will be asked.
"""

from __future__ import annotations

import json
from typing import Any

from autommlab.schemas import Request

SYSTEM = """You are RU-LLaMA, the request-understanding model of AutoMMLab. Read the user's requirement for a \
computer-vision model and answer with one JSON object:
{"data": {"object": [target classes as the user names them], "modality": "rgb" unless stated ("grayscale", \
"infrared", ...), "specific": [datasets the user names]},
 "model": {"task": "classification" | "detection" | "segmentation" | "keypoint", "specific_model": model family the \
user names or "none", "speed": {"value": number, "unit": "ms"|"s"|"min"|"h"|"fps"|"none"}, "flops": {"value": number, \
"unit": "FLOPs"|"MFLOPs"|"GFLOPs"|"TFLOPs"|"none"}, "parameters": {"value": number, "unit": "K"|"M"|"B"|"none"}, \
"metrics": [{"name": metric, "value": target as a fraction}]},
 "deploy": {"gpu": "gpu"|"cpu"|"none", "inference engine": "onnxruntime"|"tensorrt"|"openvino"|"ncnn"|"none"}}
Keep the unit the user states; not stated: value 0 and unit "none". Percentages become fractions (92% -> 0.92). \
List only metrics with a target value. A later correction in the text wins."""

#: bounds on names and lists in the answer (a real request names few, short things)
MAX_STRING = 40
MAX_ITEMS = 8
#: keys the model writes (descriptions are left out: they are free text and cost tokens)
_DROP = {"description", "scenario"}


def build_messages(text: str) -> list[dict[str, str]]:
    """System + user messages for one requirement."""
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text.strip()}]


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _strip(v) for k, v in node.items()}
        if isinstance(out.get("properties"), dict):
            out["properties"] = {k: v for k, v in out["properties"].items() if k not in _DROP}
            if "required" in out:
                out["required"] = [k for k in out["required"] if k not in _DROP]
        return out
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def generation_schema() -> dict[str, Any]:
    """JSON schema the decoder enforces: the Request schema without free-text descriptions."""
    from .schema import decoding_schema

    return _strip(decoding_schema(Request, max_string=MAX_STRING, max_items=MAX_ITEMS, require_all=True))


def completion_for(parse: dict[str, Any]) -> str:
    """The JSON text the model is trained to write for a gold parse (same keys and order as the schema)."""
    full = Request.model_validate(parse).to_json_dict()
    return json.dumps(_drop_keys(full), ensure_ascii=False)


def _drop_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _drop_keys(v) for k, v in node.items() if k not in _DROP}
    if isinstance(node, list):
        return [_drop_keys(v) for v in node]
    return node
