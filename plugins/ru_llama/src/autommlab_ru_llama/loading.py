"""Load a Hugging Face causal LM (+ optional PEFT LoRA adapter) from LOCAL directories; never downloads.

In: a model directory, an optional adapter directory, device ("cpu", "cuda", "auto")
and dtype. Out: an ``LLM`` (model + tokenizer). torch / transformers / peft are
imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autommlab.errors import UsageError

@dataclass
class LLM:
    """A loaded model + tokenizer; ``enforcer_data`` is built lazily and reused."""

    model: Any
    tokenizer: Any
    device: str
    model_path: Path
    adapter_path: Path | None = None
    enforcer_data: Any = field(default=None, repr=False)


def require_llm_stack() -> str | None:
    """Return None when transformers, peft-free generation deps and lmformatenforcer import; else the reason."""
    missing = []
    for mod in ("torch", "transformers", "lmformatenforcer"):
        try:
            __import__(mod)
        except Exception as e:  # ImportError or a broken install
            missing.append(f"{mod} ({type(e).__name__}: {e})")
    if missing:
        return "missing " + ", ".join(missing) + "; install with: pip install 'autommlab-ru-llama[llm]'"
    return None


def torch_dtype(dtype: str, device: str) -> Any:
    import torch

    if dtype in (None, "", "auto"):
        return torch.float32 if device == "cpu" else torch.float16
    table = {"float32": torch.float32, "fp32": torch.float32, "float16": torch.float16, "fp16": torch.float16,
             "bfloat16": torch.bfloat16, "bf16": torch.bfloat16}
    if dtype not in table:
        raise UsageError(f"dtype {dtype!r} is not one of: auto, {', '.join(table)}")
    return table[dtype]


def resolve_device(device: str | None) -> str:
    import torch

    if device in (None, "", "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError(f"device {device!r} asked for, but torch sees no CUDA GPU")
    return device


def local_dir(path: str | Path, what: str) -> Path:
    p = Path(path).expanduser()
    if not p.is_dir():
        raise UsageError(f"{what} {p}: not a directory (models load from local paths only)")
    return p


def load_base(model_path: Path, device: str, dtype: str) -> tuple[Any, Any]:
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    td = torch_dtype(dtype, device)
    # transformers >= 4.56 renamed torch_dtype to dtype (5.x warns on the old name)
    major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    kw = {"dtype": td} if (major, minor) >= (4, 56) else {"torch_dtype": td}
    model = AutoModelForCausalLM.from_pretrained(str(model_path), local_files_only=True, **kw)
    if tok.pad_token_id is None and tok.eos_token_id is not None:
        tok.pad_token = tok.eos_token
    return model, tok


def load(model_path: str | Path, adapter_path: str | Path | None = None, device: str = "cpu",
         dtype: str = "auto") -> LLM:
    """Load a causal LM (+ optional LoRA adapter) from local directories; ``device`` "auto" picks CUDA if present."""
    path = local_dir(model_path, "model_path")
    adapter = local_dir(adapter_path, "adapter_path") if adapter_path else None
    dev = resolve_device(device)
    model, tok = load_base(path, dev, dtype)
    if adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter), is_trainable=False)
    model.to(dev)
    model.eval()
    return LLM(model=model, tokenizer=tok, device=dev, model_path=path, adapter_path=adapter)
