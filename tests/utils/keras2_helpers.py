"""Helpers for tests of Keras 2 idioms: record the notes, switch strict mode on and off."""

import contextlib
import warnings

import pytest

from nanokeras.utils import keras2_notes


@pytest.fixture
def fresh_notes(monkeypatch):
    """Every note can show again; the switches follow a clean environment; restored afterwards."""
    monkeypatch.delenv("NANOKERAS_KERAS2_NOTES", raising=False)
    monkeypatch.delenv("NANOKERAS_STRICT_KERAS3", raising=False)
    keras2_notes.forget_notes()
    keras2_notes.set_notes(None)
    keras2_notes.set_strict(None)
    yield
    keras2_notes.forget_notes()
    keras2_notes.set_notes(None)
    keras2_notes.set_strict(None)


@contextlib.contextmanager
def recorded_notes():
    """Collects the `Keras2Note`s issued inside the block (every other warning passes through)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        notes = []
        yield notes
    notes.extend(str(w.message) for w in caught if issubclass(w.category, keras2_notes.Keras2Note))


@contextlib.contextmanager
def strict_keras3():
    keras2_notes.set_strict(True)
    try:
        yield
    finally:
        keras2_notes.set_strict(None)
