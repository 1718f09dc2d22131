"""Schema-constrained greedy decoding with a local model (lm-format-enforcer); never evaluates model text.

In: an ``LLM`` (``loading``), a prompt string or message list, a JSON schema or pydantic
model class. Out: the parsed JSON object (``generate_json``) or the validated model
(``generate_model``); ``GenerationError`` when the answer does not close or validate.
torch / transformers / lmformatenforcer are imported inside the functions.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import GenerationError
from .loading import LLM
from .chat import Messages, encode_prompt
from .schema import MAX_ARRAY_ITEMS, MAX_STRING_CHARS, all_numbers_non_negative, decoding_schema

MAX_NUMBER_CHARS = 16
MAX_WHITESPACE = 2


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


def enforcer_data(llm: LLM) -> Any:
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
    parser = _bounded_parser(dschema, all_numbers_non_negative(dschema))
    enforcer = TokenEnforcer(enforcer_data(llm), parser)
    ids = encode_prompt(llm, prompt)
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
    text = enforcer_data(llm).decoder(new[:-1] if finished else new)
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

    ids = encode_prompt(llm, prompt)
    input_ids = torch.tensor([ids], device=llm.device)
    tok = llm.tokenizer
    with torch.inference_mode():
        out = llm.model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                 max_new_tokens=max_new_tokens, do_sample=False,
                                 pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id)
    return tok.decode(out[0, len(ids):].tolist(), skip_special_tokens=True)
