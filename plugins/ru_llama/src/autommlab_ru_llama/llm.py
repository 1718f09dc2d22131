"""Reusable causal-LM helpers: load, schema-constrained JSON generation, LoRA finetuning.

Used by the ru_llama parse plugin and by other LLM plugins (hpo_llama). Heavy
libraries (torch, transformers, peft, lmformatenforcer) are imported inside the
functions, so importing this module is cheap.

Stable API
----------
``load(model_path, adapter_path=None, device="cpu", dtype="auto") -> LLM``
    Load a Hugging Face causal LM and its tokenizer from a LOCAL directory,
    optionally with a PEFT LoRA adapter directory. Never downloads.
``render_prompt(llm_or_tokenizer, messages, add_generation_prompt=True) -> str``
    Chat messages ``[{"role": "system"|"user"|"assistant", "content": str}]``
    rendered with the tokenizer's chat template, or a plain
    ``### System/User/Assistant`` format when it has none (the same format the
    finetuning code trains on).
``generate_json(llm, prompt, schema, max_new_tokens=512, require_all=False, max_string=200, max_items=16) -> dict``
    Greedy decoding constrained by a JSON schema (``dict``) or a pydantic model
    class (lm-format-enforcer): the text is always JSON of the schema's shape;
    it is parsed with ``json.loads`` (never evaluated).
``generate_model(llm, prompt, model_cls, max_new_tokens=512, ...) -> model_cls``
    ``generate_json`` + pydantic validation; raises ``GenerationError``
    naming the field when a constraint the decoder cannot enforce (e.g. a
    numeric maximum) is violated.
``read_pairs(path) -> list[list[dict]]``
    Training data from JSONL: lines ``{"prompt", "completion"}`` or
    ``{"messages": [...]}``; each becomes a message list.
``finetune_lora(base_path, examples, out_dir, settings=LoraSettings()) -> FinetuneResult``
    Train a LoRA adapter (peft) on the assistant turns of each message list
    and save it under ``out_dir`` (loadable by ``load(..., adapter_path=out_dir)``).

``prompt`` arguments accept a ready string (used as is) or a message list.

What constrained decoding guarantees: keys, nesting, types, enums/literals,
required keys, string length and list length bounds (added where the schema
has none, so every decode ends), integers without "." or exponent, numbers
that are valid JSON (no "5." or "5.e3"), at most 16 characters and 2 exponent
digits, no leading "-" where the property's ``minimum`` is >= 0, and no raw
control characters (tokens that decode to them or to partial UTF-8 are never
offered). Numeric maxima and other pydantic constraints are checked after
decoding (``generate_model`` raises ``GenerationError`` naming the field).
"""

from __future__ import annotations

import json
import math
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from autommlab.errors import AutoMMLabError, DataError, UsageError
from autommlab.jsonl import iter_json_objects
from pydantic import BaseModel, Field, ValidationError

Messages = list[dict[str, str]]
ROLES = ("system", "user", "assistant")
#: plain prompt headers used when a tokenizer has no chat template
_HEADERS = {"system": "### System:\n", "user": "### User:\n", "assistant": "### Assistant:\n"}
#: bounds added to a schema for decoding, so a generation always terminates
MAX_STRING_CHARS = 200
MAX_ARRAY_ITEMS = 16
MAX_NUMBER_CHARS = 16
MAX_WHITESPACE = 2


class GenerationError(AutoMMLabError):
    """The model's constrained output did not complete or did not validate."""

    exit_code = 1


# ----------------------------------------------------------------------------- loading


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


def _torch_dtype(dtype: str, device: str) -> Any:
    import torch

    if dtype in (None, "", "auto"):
        return torch.float32 if device == "cpu" else torch.float16
    table = {"float32": torch.float32, "fp32": torch.float32, "float16": torch.float16, "fp16": torch.float16,
             "bfloat16": torch.bfloat16, "bf16": torch.bfloat16}
    if dtype not in table:
        raise UsageError(f"dtype {dtype!r} is not one of: auto, {', '.join(table)}")
    return table[dtype]


def _resolve_device(device: str | None) -> str:
    import torch

    if device in (None, "", "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError(f"device {device!r} asked for, but torch sees no CUDA GPU")
    return device


def _local_dir(path: str | Path, what: str) -> Path:
    p = Path(path).expanduser()
    if not p.is_dir():
        raise UsageError(f"{what} {p}: not a directory (models load from local paths only)")
    return p


def _load_base(model_path: Path, device: str, dtype: str) -> tuple[Any, Any]:
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    td = _torch_dtype(dtype, device)
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
    path = _local_dir(model_path, "model_path")
    adapter = _local_dir(adapter_path, "adapter_path") if adapter_path else None
    dev = _resolve_device(device)
    model, tok = _load_base(path, dev, dtype)
    if adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter), is_trainable=False)
    model.to(dev)
    model.eval()
    return LLM(model=model, tokenizer=tok, device=dev, model_path=path, adapter_path=adapter)


# ----------------------------------------------------------------------------- prompts


def check_messages(messages: Any, where: str = "messages") -> Messages:
    """Validate a chat message list; errors name the item."""
    if not isinstance(messages, list) or not messages:
        raise DataError(f"{where}: expected a non-empty list of {{role, content}} messages")
    out = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise DataError(f"{where}[{i}]: expected {{'role': one of {ROLES}, 'content': str}}, got {m!r:.120}")
        out.append({"role": m["role"], "content": m["content"]})
    return out


def _has_template(tok: Any) -> bool:
    return bool(getattr(tok, "chat_template", None))


def render_prompt(llm_or_tokenizer: Any, messages: Messages, add_generation_prompt: bool = True) -> str:
    """Render chat messages to the prompt string the model sees (chat template, else ``### Role:`` blocks)."""
    tok = getattr(llm_or_tokenizer, "tokenizer", llm_or_tokenizer)
    messages = check_messages(messages)
    if _has_template(tok):
        return tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)
    text = "".join(f"{_HEADERS[m['role']]}{m['content']}\n\n" for m in messages)
    return text + (_HEADERS["assistant"] if add_generation_prompt else "")


def _encode_prompt(llm: LLM, prompt: str | Messages) -> list[int]:
    tok = llm.tokenizer
    if isinstance(prompt, str):
        return tok(prompt, add_special_tokens=True)["input_ids"]
    text = render_prompt(tok, prompt)
    # a chat template already writes BOS (and other specials) as text
    return tok(text, add_special_tokens=not _has_template(tok))["input_ids"]


# ----------------------------------------------------------------------------- decoding schema


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].split("/")[-1]
            if name not in defs:
                raise UsageError(f"JSON schema: unresolved $ref {node['$ref']!r}")
            merged = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
            return _inline_refs(merged, defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k not in ("$defs", "definitions")}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _bound(node: Any, max_string: int, max_items: int, require_all: bool) -> Any:
    if isinstance(node, list):
        return [_bound(v, max_string, max_items, require_all) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _bound(v, max_string, max_items, require_all) for k, v in node.items()}
    if node.get("type") == "string" and "enum" not in node and "const" not in node:
        node["maxLength"] = min(node.get("maxLength", max_string), max_string)
    if node.get("type") == "array":
        node["maxItems"] = min(node.get("maxItems", max_items), max_items)
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
        if require_all:
            node["required"] = list(node["properties"])
    return node


def decoding_schema(schema: dict[str, Any] | type[BaseModel], max_string: int = MAX_STRING_CHARS,
                    max_items: int = MAX_ARRAY_ITEMS, require_all: bool = False) -> dict[str, Any]:
    """The schema the decoder enforces: refs inlined, strings/arrays bounded (so decoding ends),
    optionally every property required (the model then writes the whole structure)."""
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        schema = schema.model_json_schema(by_alias=True)
    if not isinstance(schema, dict):
        raise UsageError(f"schema must be a JSON schema dict or a pydantic model class, got {type(schema).__name__}")
    defs = {**schema.get("definitions", {}), **schema.get("$defs", {})}
    return _bound(_inline_refs(schema, defs), max_string, max_items, require_all)


def _all_numbers_non_negative(node: Any) -> bool:
    if isinstance(node, list):
        return all(_all_numbers_non_negative(v) for v in node)
    if not isinstance(node, dict):
        return True
    if node.get("type") in ("number", "integer"):
        lo = node.get("minimum", node.get("exclusiveMinimum"))
        if lo is None or lo < 0:
            return False
    return all(_all_numbers_non_negative(v) for k, v in node.items() if k not in ("enum", "const", "default"))


def _bounded_parser(schema: dict[str, Any], non_negative: bool) -> Any:
    """A JsonSchemaParser that also bounds number length and (optionally) forbids a leading minus.

    lm-format-enforcer enforces structure, types, enums and string lengths but
    not numeric bounds; these additions make every decode finite, keep ``ge=0``
    fields valid.
    """
    from lmformatenforcer import CharacterLevelParser, JsonSchemaParser
    from lmformatenforcer.jsonschemaparser import NumberParsingState, ObjectParsingState

    class _Bounded(CharacterLevelParser):
        def __init__(self, inner: Any):
            self.inner = inner

        @property
        def config(self):  # noqa: D401 - passthrough
            return self.inner.config

        @config.setter
        def config(self, value):
            # compact JSON: at most MAX_WHITESPACE whitespace characters in a row
            value.max_consecutive_whitespaces = min(value.max_consecutive_whitespaces, MAX_WHITESPACE)
            self.inner.config = value

        def _number(self) -> Any:
            stack = getattr(self.inner, "object_stack", None)
            if stack and isinstance(stack[-1], NumberParsingState):
                return stack[-1]
            return None

        def _field_minimum(self) -> float | None:
            """``minimum`` of the object property whose value is being written, if any."""
            stack = self.inner.object_stack
            if len(stack) < 2 or not isinstance(stack[-2], ObjectParsingState):
                return None
            props = stack[-2].schema_object.properties or {}
            prop = props.get(stack[-2].current_key)
            if prop is None:
                return None
            lo = getattr(prop, "minimum", None)
            lo = lo if lo is not None else getattr(prop, "exclusiveMinimum", None)
            return None if lo is None else float(lo)  # lm-format-enforcer wraps it in UnionIntFloat

        def add_character(self, new_character: str) -> "_Bounded":
            return _Bounded(self.inner.add_character(new_character))

        def get_allowed_characters(self) -> str:
            allowed = self.inner.get_allowed_characters()
            num = self._number()
            if num is None:
                return allowed
            ps = num.parsed_string.strip()
            lo = self._field_minimum()
            if not ps and (non_negative or (lo is not None and lo >= 0)):
                allowed = allowed.replace("-", "")
            if not num.allow_floating_point:  # integers: digits only ("5e3" is not an int)
                allowed = "".join(c for c in allowed if c not in ".eE+")
            if ps and ps[-1] in ".eE+-":
                # JSON needs a digit after ".", "e", a sign (lm-format-enforcer would allow "5.e3" or "5." + ",")
                return "".join(c for c in allowed if c.isdigit() or (ps[-1] in "eE" and c in "+-"))
            exponent = re.search(r"[eE][+-]?(\d*)$", ps)
            if len(ps) >= MAX_NUMBER_CHARS or (exponent and len(exponent.group(1)) >= 2):
                allowed = "".join(c for c in allowed if c not in "0123456789.eE+-")
            return allowed

        def can_end(self) -> bool:
            num = self._number()
            if num is not None and num.parsed_string.strip()[-1:] in (".", "e", "E", "+", "-"):
                return False
            return self.inner.can_end()

        def shortcut_key(self):
            return None if self._number() is not None else self.inner.shortcut_key()

        def cache_key(self):
            return None if self._number() is not None else self.inner.cache_key()

    return _Bounded(JsonSchemaParser(schema))


def _enforcer_data(llm: LLM) -> Any:
    """lm-format-enforcer's per-tokenizer tables (built once per LLM; ~1 s for a 32k vocabulary)."""
    if llm.enforcer_data is not None:
        return llm.enforcer_data
    from lmformatenforcer import TokenEnforcerTokenizerData

    tok = llm.tokenizer
    vocab_size = len(tok)
    special = set(tok.all_special_ids)
    token_0 = tok.encode("0", add_special_tokens=False)[-1]
    regular = []
    for idx in range(vocab_size):
        if idx in special:
            continue
        # decode after "0" to see whether the token starts a word (SentencePiece drops a leading space alone)
        after_0 = tok.decode([token_0, idx])[1:]
        alone = tok.decode([idx])
        # tokens holding part of a UTF-8 character (byte-level BPE, SentencePiece byte fallback) decode to
        # U+FFFD alone; allowing them desynchronises the character-level parser, so they are left out
        if "\ufffd" in after_0 or "\ufffd" in alone:
            continue
        # control characters (incl. newline, tab) would be raw inside JSON strings, which JSON forbids and
        # lm-format-enforcer's free-text shortcut lets through; spaces remain for formatting
        if any(ord(c) < 32 for c in after_0):
            continue
        regular.append((idx, after_0, len(after_0) > len(alone)))

    def decode(ids: list[int]) -> str:
        return tok.decode(ids).rstrip("\ufffd")

    eos = tok.eos_token_id
    llm.enforcer_data = TokenEnforcerTokenizerData(regular, decode, eos, False, vocab_size)
    return llm.enforcer_data


def _logits_processor(enforcer: Any, prompt_len: int) -> Any:
    import torch
    from transformers import LogitsProcessor

    class _Enforce(LogitsProcessor):
        def __call__(self, input_ids: "torch.LongTensor", scores: "torch.FloatTensor") -> "torch.FloatTensor":
            mask = torch.full_like(scores, float("-inf"))
            for b in range(input_ids.shape[0]):
                allowed = enforcer.get_allowed_tokens(input_ids[b, prompt_len:].tolist()).allowed_tokens
                ids = [t for t in allowed if t < scores.shape[-1]]
                mask[b, ids] = 0
            return scores + mask

    return _Enforce()


# ----------------------------------------------------------------------------- generation


def generate_json(llm: LLM, prompt: str | Messages, schema: dict[str, Any] | type[BaseModel],
                  max_new_tokens: int = 512, require_all: bool = False, max_string: int = MAX_STRING_CHARS,
                  max_items: int = MAX_ARRAY_ITEMS) -> dict[str, Any]:
    """Greedy, schema-constrained generation; returns the parsed JSON object.

    ``require_all`` makes every property required; ``max_string``/``max_items``
    bound strings and arrays that the schema leaves unbounded.

    :raises GenerationError: when ``max_new_tokens`` ran out before the JSON closed.
    """
    import torch
    from lmformatenforcer import TokenEnforcer
    from transformers import LogitsProcessorList

    dschema = decoding_schema(schema, max_string=max_string, max_items=max_items, require_all=require_all)
    parser = _bounded_parser(dschema, _all_numbers_non_negative(dschema))
    enforcer = TokenEnforcer(_enforcer_data(llm), parser)
    ids = _encode_prompt(llm, prompt)
    input_ids = torch.tensor([ids], device=llm.device)
    tok = llm.tokenizer
    with torch.inference_mode():
        out = llm.model.generate(
            input_ids=input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=max_new_tokens,
            do_sample=False, num_beams=1, logits_processor=LogitsProcessorList([_logits_processor(enforcer, len(ids))]),
            pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id,
            eos_token_id=tok.eos_token_id)
    new = out[0, len(ids):].tolist()
    finished = bool(new) and new[-1] == tok.eos_token_id
    # decode exactly as the enforcer did (its decoder keeps every token it allowed, e.g. byte-fallback
    # tokens a tokenizer marks special); only the closing EOS is dropped
    text = _enforcer_data(llm).decoder(new[:-1] if finished else new)
    if not finished:
        raise GenerationError(f"the model used all max_new_tokens={max_new_tokens} before closing its JSON answer "
                              f"(got {len(text)} characters); raise max_new_tokens")
    try:
        value = json.loads(text)  # data only: the text is never evaluated
    except json.JSONDecodeError as e:  # the enforcer makes this unexpected; say so plainly
        raise GenerationError(f"constrained output is not JSON ({e}): {text[:200]!r}") from e
    if not isinstance(value, dict):
        raise GenerationError(f"expected a JSON object, got {type(value).__name__}")
    return value


def generate_model(llm: LLM, prompt: str | Messages, model_cls: type[BaseModel], max_new_tokens: int = 512,
                   require_all: bool = False, max_string: int = MAX_STRING_CHARS,
                   max_items: int = MAX_ARRAY_ITEMS) -> BaseModel:
    """``generate_json`` under ``model_cls``'s schema, then pydantic validation (errors name the field)."""
    value = generate_json(llm, prompt, model_cls, max_new_tokens=max_new_tokens, require_all=require_all,
                          max_string=max_string, max_items=max_items)
    try:
        return model_cls.model_validate(value)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
        raise GenerationError(f"model output does not validate as {model_cls.__name__}: {problems}") from e


def generate_text(llm: LLM, prompt: str | Messages, max_new_tokens: int = 256) -> str:
    """Unconstrained greedy generation (e.g. a rationale); the text is returned, never executed."""
    import torch

    ids = _encode_prompt(llm, prompt)
    input_ids = torch.tensor([ids], device=llm.device)
    tok = llm.tokenizer
    with torch.inference_mode():
        out = llm.model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                 max_new_tokens=max_new_tokens, do_sample=False,
                                 pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id)
    return tok.decode(out[0, len(ids):].tolist(), skip_special_tokens=True)


# ----------------------------------------------------------------------------- finetuning data


def read_pairs(path: str | Path) -> list[Messages]:
    """Read JSONL training pairs: ``{"prompt", "completion"[, "system"]}`` or ``{"messages": [...]}``.

    Errors name the file and line.
    """
    p = Path(path)
    out: list[Messages] = []
    for n, row in iter_json_objects(p, "training data file"):
        if "messages" in row:
            msgs = check_messages(row["messages"], f"{p}:{n}: messages")
        elif isinstance(row.get("prompt"), str) and isinstance(row.get("completion"), (str, dict, list)):
            comp = row["completion"]
            comp = comp if isinstance(comp, str) else json.dumps(comp, ensure_ascii=False)
            msgs = ([{"role": "system", "content": row["system"]}] if isinstance(row.get("system"), str) else [])
            msgs += [{"role": "user", "content": row["prompt"]}, {"role": "assistant", "content": comp}]
        else:
            raise DataError(f"{p}:{n}: expected keys 'prompt' and 'completion', or 'messages'")
        if not any(m["role"] == "assistant" for m in msgs):
            raise DataError(f"{p}:{n}: no assistant message to learn from")
        out.append(msgs)
    if not out:
        raise DataError(f"{p}: no training pairs")
    return out


def _segments(tok: Any, messages: Messages) -> list[tuple[list[int], bool]]:
    """Token segments of one conversation and whether each is trained on (assistant content only).

    Prompts are tokenized apart from completions, exactly as at generation
    time (prompt encoded, then tokens generated).
    """
    segs: list[tuple[list[int], bool]] = []
    enc = lambda text, first: tok(text, add_special_tokens=first)["input_ids"]  # noqa: E731
    if _has_template(tok):
        done = ""
        for i, m in enumerate(messages):
            if m["role"] != "assistant":
                continue
            prefix = tok.apply_chat_template(messages[:i], tokenize=False, add_generation_prompt=True)
            full = tok.apply_chat_template(messages[:i + 1], tokenize=False)
            if not prefix.startswith(done) or not full.startswith(prefix):
                raise DataError("the tokenizer's chat template does not render conversations as growing prefixes; "
                                "finetune with a tokenizer without chat_template")
            segs.append((enc(prefix[len(done):], False), False))
            segs.append((enc(full[len(prefix):], False), True))
            done = full
        return segs
    first = True
    for m in messages:
        if m["role"] == "assistant":
            segs.append((enc(_HEADERS["assistant"], first), False))
            segs.append((enc(m["content"], False) + [tok.eos_token_id], True))
            segs.append((enc("\n\n", False), False))
        else:
            segs.append((enc(f"{_HEADERS[m['role']]}{m['content']}\n\n", first), False))
        first = False
    return segs


def encode_example(tok: Any, messages: Messages, max_length: int) -> tuple[list[int], list[int]]:
    """(input_ids, labels) for one conversation; labels are -100 outside assistant content."""
    ids: list[int] = []
    labels: list[int] = []
    for seg, train in _segments(tok, messages):
        ids += seg
        labels += seg if train else [-100] * len(seg)
    return ids[:max_length], labels[:max_length]


# ----------------------------------------------------------------------------- finetuning


class LoraSettings(BaseModel):
    """LoRA finetuning settings (paper: rank 8, alpha 32)."""

    rank: int = Field(8, ge=1)
    alpha: float = Field(32, gt=0)
    dropout: float = Field(0.05, ge=0, lt=1)
    target_modules: list[str] | None = None  # None: peft's default for the architecture, else all linear layers
    epochs: float = Field(3, gt=0)
    lr: float = Field(2e-4, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    batch_size: int = Field(4, ge=1)
    max_length: int = Field(1024, ge=8)
    seed: int = 0


@dataclass
class FinetuneResult:
    out_dir: Path
    steps: int
    examples: int
    losses: list[float]
    seconds: float
    trainable_params: int


def _peft_model(model: Any, s: LoraSettings) -> Any:
    from peft import LoraConfig, get_peft_model

    def cfg(targets: Any) -> Any:
        return LoraConfig(r=s.rank, lora_alpha=s.alpha, lora_dropout=s.dropout, target_modules=targets,
                          task_type="CAUSAL_LM", bias="none")

    if s.target_modules:
        return get_peft_model(model, cfg(s.target_modules))
    try:
        return get_peft_model(model, cfg(None))
    except ValueError:  # architecture without a peft default: adapt every linear layer
        return get_peft_model(model, cfg("all-linear"))


def finetune_lora(base_path: str | Path, examples: Sequence[Messages], out_dir: str | Path,
                  settings: LoraSettings | None = None, device: str = "cpu", dtype: str = "float32",
                  log: Callable[[str], None] = lambda msg: None,
                  on_step: Callable[[int, int, float], None] | None = None) -> FinetuneResult:
    """Train a LoRA adapter on ``examples`` (message lists) and save it to ``out_dir``.

    Loss is taken on assistant content only. Writes the adapter
    (``adapter_config.json``, ``adapter_model.safetensors``), the tokenizer and
    ``autommlab_lora.json`` (settings, base path, per-step losses).
    ``on_step(step, total_steps, loss)`` is called after each optimiser step.
    """
    import torch

    s = settings or LoraSettings()
    base = _local_dir(base_path, "base model")
    if not examples:
        raise DataError("no training examples")
    dev = _resolve_device(device)
    random.seed(s.seed)
    torch.manual_seed(s.seed)
    model, tok = _load_base(base, dev, dtype)
    model = _peft_model(model, s).to(dev)
    model.train()
    encoded = [encode_example(tok, check_messages(m, f"example {i}"), s.max_length) for i, m in enumerate(examples)]
    encoded = [e for e in encoded if any(lab != -100 for lab in e[1])]
    if not encoded:
        raise DataError(f"every example lost its assistant tokens to max_length={s.max_length}")
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=s.lr, weight_decay=s.weight_decay)
    per_epoch = math.ceil(len(encoded) / s.batch_size)
    total = max(1, math.ceil(per_epoch * s.epochs))
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    order: list[int] = []
    losses: list[float] = []
    t0 = time.perf_counter()
    log(f"LoRA r={s.rank} alpha={s.alpha} on {len(encoded)} examples, {total} steps, device {dev}")
    for step in range(1, total + 1):
        if len(order) < s.batch_size:
            order += random.sample(range(len(encoded)), len(encoded))
        batch = [encoded[i] for i in order[:s.batch_size]]
        del order[:s.batch_size]
        width = max(len(ids) for ids, _ in batch)
        ids_t = torch.full((len(batch), width), pad, dtype=torch.long)
        lab_t = torch.full((len(batch), width), -100, dtype=torch.long)
        att_t = torch.zeros((len(batch), width), dtype=torch.long)
        for r, (ids, labels) in enumerate(batch):
            ids_t[r, :len(ids)] = torch.tensor(ids)
            lab_t[r, :len(labels)] = torch.tensor(labels)
            att_t[r, :len(ids)] = 1
        out = model(input_ids=ids_t.to(dev), attention_mask=att_t.to(dev), labels=lab_t.to(dev))
        loss = out.loss
        if not torch.isfinite(loss):
            raise GenerationError(f"LoRA finetuning diverged at step {step} (loss {loss.item()}); lower the lr")
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
        if on_step:
            on_step(step, total, losses[-1])
    seconds = time.perf_counter() - t0
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    n_train = sum(p.numel() for p in trainable)
    meta = {"base_model": str(base), "settings": s.model_dump(), "examples": len(encoded), "steps": total,
            "losses": losses, "seconds": round(seconds, 3), "trainable_params": n_train}
    (out / "autommlab_lora.json").write_text(json.dumps(meta, indent=2))
    log(f"saved adapter to {out} (loss {losses[0]:.3f} -> {losses[-1]:.3f}, {seconds:.1f}s)")
    return FinetuneResult(out, total, len(encoded), losses, seconds, n_train)

