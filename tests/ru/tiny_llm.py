"""Build a tiny, randomly initialised Llama-architecture causal LM + byte-level BPE tokenizer on disk.

For tests of the LLM code paths (load, generate, constrained decoding,
LoRA finetuning) without downloading anything. The output of such a model is
meaningless, but it runs through exactly the code a real checkpoint does.

    from tests.ru.tiny_llm import build_tiny_llm
    path = build_tiny_llm(tmp_path / "tiny")          # a directory AutoModelForCausalLM can load
    path = build_tiny_llm(tmp_path / "t", chat_template=True)   # tokenizer with a chat template
"""

from __future__ import annotations

from pathlib import Path

#: text the tokenizer's BPE merges are learned from: JSON and request-like words
CORPUS = [
    ('{"data": {"object": ["car", "person"], "modality": "rgb", "specific": ["COCO"]}, "model": {"task": "detection", '
     '"specific_model": "none", "speed": {"value": 30, "unit": "fps"}, "flops": {"value": 0, "unit": "none"}, '
     '"parameters": {"value": 5, "unit": "M"}, "metrics": [{"name": "AP", "value": 0.5}]}, '
     '"deploy": {"gpu": "gpu", "inference engine": "tensorrt"}}'),
    "Detect cars and people at 30 FPS on a GPU with TensorRT. Classify cats and dogs. Segment roads. Pose of runners.",
    ('{"optimizer": "AdamW", "lr": 0.001, "weight_decay": 0.05, "lr_schedule": "CosineAnnealingLR", "iters": 4000, '
     '"batch_size": 16}'),
    "### System:\n### User:\n### Assistant:\n",
]
CHAT_TEMPLATE = ("{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}</s>{% endfor %}"
                 "{% if add_generation_prompt %}<|assistant|>{% endif %}")


def build_tokenizer(vocab_size: int = 400, chat_template: bool = False, kind: str = "bytelevel"):
    """A BPE ``PreTrainedTokenizerFast`` with <s>, </s>, <pad>.

    ``kind="bytelevel"``: GPT-2/Llama-3 style, every byte representable.
    ``kind="sentencepiece"``: Llama-2 style - "\u2581" marks word starts, byte
    fallback tokens <0x..> for characters outside the learned alphabet.
    """
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    special = ["<s>", "</s>", "<pad>"]
    if kind == "bytelevel":
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        alphabet = pre_tokenizers.ByteLevel.alphabet()
    elif kind == "sentencepiece":
        tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
        tok.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
        tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                         decoders.Strip(" ", 1, 0)])
        special = ["<unk>"] + special + [f"<0x{i:02X}>" for i in range(256)]
        alphabet = sorted(set("".join(CORPUS).replace(" ", "\u2581")) | {"\u2581"})
    else:
        raise ValueError(f"unknown tokenizer kind {kind!r}")
    trainer = trainers.BpeTrainer(vocab_size=vocab_size + (259 if kind == "sentencepiece" else 0),
                                  special_tokens=special, show_progress=False, initial_alphabet=alphabet)
    tok.train_from_iterator(CORPUS * 4, trainer=trainer)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B",
                                                       special_tokens=[("<s>", tok.token_to_id("<s>"))])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>")
    if chat_template:
        fast.chat_template = CHAT_TEMPLATE
    return fast


def build_tiny_llm(path: str | Path, seed: int = 0, chat_template: bool = False, hidden: int = 32,
                   layers: int = 2, tokenizer: str = "bytelevel") -> Path:
    """Write a tiny random LlamaForCausalLM + tokenizer (``build_tokenizer`` kind) to ``path``; return the path."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    path = Path(path)
    tok = build_tokenizer(chat_template=chat_template, kind=tokenizer)
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=hidden, intermediate_size=2 * hidden,
                      num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=2,
                      max_position_embeddings=4096, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                      pad_token_id=tok.pad_token_id, tie_word_embeddings=False)
    model = LlamaForCausalLM(cfg)
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(path))
    tok.save_pretrained(str(path))
    return path
