"""AutoMMLab RU-LLaMA: the parse stage served by a local causal LM (+ LoRA), as in the AutoMMLab paper.

- ``plugin``: the hook module (entry point ``ru_llama``); light to import.
- ``llm``: reusable load / constrained JSON generation / LoRA finetuning helpers.
- ``prompt``: the request-understanding prompt and the decoding schema.
"""

__version__ = "0.1.0"
