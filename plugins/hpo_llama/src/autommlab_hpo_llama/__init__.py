"""HPO-LLaMA: propose hyperparameters in a multi-round dialogue with a local causal LM (+ per-task LoRA)."""
