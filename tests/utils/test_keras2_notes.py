"""The notes mechanism: once per process, switches, strict mode, where the note points."""

import warnings

import pytest

import nanokeras as keras
from nanokeras.utils import keras2_notes
from tests.utils.keras2_helpers import fresh_notes, recorded_notes  # noqa: F401


def test_a_note_is_a_deprecation_warning_shown_once_per_process(fresh_notes):
    with recorded_notes() as notes:
        keras2_notes.note("optimizer_lr")
        keras2_notes.note("optimizer_lr")
        keras2_notes.note("tokenizer")
    assert len(notes) == 2
    assert issubclass(keras2_notes.Keras2Note, DeprecationWarning)
    assert "not in Keras 3" in notes[0] and "learning_rate=" in notes[0]


def test_the_note_points_at_the_users_line(fresh_notes):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.optimizers.SGD(lr=0.1)
    assert caught[0].filename == __file__


def test_notes_can_be_switched_off_by_config_and_by_environment(fresh_notes, monkeypatch):
    keras.config.set_keras2_notes(False)
    assert not keras.config.keras2_notes_enabled()
    with recorded_notes() as notes:
        keras2_notes.note("optimizer_lr")
    assert notes == []
    keras.config.set_keras2_notes(None)
    monkeypatch.setenv("NANOKERAS_KERAS2_NOTES", "0")
    with recorded_notes() as notes:
        keras2_notes.note("optimizer_lr")
    assert notes == []
    monkeypatch.setenv("NANOKERAS_KERAS2_NOTES", "1")
    with recorded_notes() as notes:
        keras2_notes.note("optimizer_lr")
    assert len(notes) == 1


def test_strict_mode_raises_every_time_by_config_and_by_environment(fresh_notes, monkeypatch):
    monkeypatch.setenv("NANOKERAS_STRICT_KERAS3", "1")
    assert keras.config.strict_keras3_enabled()
    for _ in range(2):
        with pytest.raises(keras2_notes.Keras3StrictError, match="learning_rate="):
            keras2_notes.note("optimizer_lr")
    monkeypatch.delenv("NANOKERAS_STRICT_KERAS3")
    keras.config.set_strict_keras3(True)
    with pytest.raises(ValueError, match="strict Keras 3 mode is on"):
        keras2_notes.note("tokenizer")
    keras.config.set_strict_keras3(False)
    with recorded_notes() as notes:
        keras2_notes.note("tokenizer")
    assert len(notes) == 1


def test_switches_reject_non_booleans():
    with pytest.raises(TypeError, match="True, False or None"):
        keras.config.set_keras2_notes("no")
    with pytest.raises(TypeError, match="True, False or None"):
        keras.config.set_strict_keras3(1)


def test_unknown_idiom_is_a_programming_error():
    with pytest.raises(KeyError, match="Unknown Keras 2 idiom"):
        keras2_notes.note("no_such_idiom")


def test_every_idiom_has_a_row_in_docs_keras2_md():
    import pathlib

    table = (pathlib.Path(__file__).parents[2] / "docs" / "keras2.md").read_text()
    for idiom in keras2_notes.IDIOMS.values():
        assert idiom.keras2 in table, idiom.keras2
        assert idiom.keras3 in table, idiom.keras3
