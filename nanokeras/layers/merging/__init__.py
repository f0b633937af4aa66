"""Merge layers: combine a list of tensors."""
