"""Hyperparameter optimisation: the trial record and built-in strategies."""
