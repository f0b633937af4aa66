"""The training loop behind `Model.fit`, `evaluate` and `predict`."""
