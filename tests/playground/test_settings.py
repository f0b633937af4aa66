"""nanokeras/playground/settings.py: every setting the page sends is checked before anything changes."""

import pytest

from nanokeras.playground import settings as settings_module
from nanokeras.playground.settings import PRESETS, Settings


def test_updates_return_a_new_settings_with_the_changes():
    base = Settings()
    changed = base.updated({"dataset": "xor", "hidden": [8, 2], "learning_rate": 0.1, "epochs": 7.0})
    assert (changed.dataset, changed.hidden, changed.learning_rate, changed.epochs) == ("xor", (8, 2), 0.1, 7)
    assert isinstance(changed.epochs, int)
    assert base == Settings()  # the original is untouched


@pytest.mark.parametrize("changes, error, words", [
    ({"activaton": "relu"}, ValueError, ["setting", "'activaton'", "Did you mean 'activation'"]),
    ({"activation": "rleu"}, ValueError, ["'rleu'", "Did you mean 'relu'"]),
    ({"optimizer": "adamw"}, ValueError, ["'adamw'", "'adam'"]),
    ({"dataset": "spirals"}, ValueError, ["Did you mean 'spiral'"]),
    ({"hidden": [4, 0]}, ValueError, ["`hidden`", "from 1 to 16", "got 0"]),
    ({"hidden": [4] * 7}, ValueError, ["at most 6 hidden layers"]),
    ({"hidden": 4}, TypeError, ["list of layer sizes"]),
    ({"hidden": [2.5]}, TypeError, ["whole number"]),
    ({"epochs": 0}, ValueError, ["`epochs`", "from 1 to 2000"]),
    ({"epochs": "10"}, TypeError, ["`epochs`", "'10'"]),
    ({"batch_size": True}, TypeError, ["`batch_size`"]),
    ({"learning_rate": 0}, ValueError, ["above 0"]),
    ({"learning_rate": float("nan")}, TypeError, ["`learning_rate`", "number"]),
    ({"noise": 0.9}, ValueError, ["`noise`", "up to 0.5"]),
    ({"test_fraction": 0.0}, ValueError, ["`test_fraction`"]),
    ({"dataset": "uploaded"}, ValueError, ["no CSV file has been uploaded"]),
    ({"data_file": "x.csv"}, ValueError, ["Unknown setting"]),  # only an upload names the file
])
def test_bad_settings_are_refused_with_a_message_that_names_them(changes, error, words):
    with pytest.raises(error) as raised:
        Settings().updated(changes)
    for word in words:
        assert word in str(raised.value)


def test_a_request_that_is_not_an_object_is_refused():
    with pytest.raises(TypeError, match="JSON object"):
        Settings().updated(["dataset", "xor"])


def test_uploaded_is_a_dataset_once_a_file_was_uploaded():
    assert Settings().updated({"dataset": "uploaded"}, uploaded=True).dataset == "uploaded"


def test_every_preset_is_a_valid_set_up_and_is_recognised():
    for name, (title, text, changes) in PRESETS.items():
        settings = Settings().updated(dict(changes))
        assert title and text and settings_module.current_lesson(settings) == name
        assert settings_module.current_lesson(settings.updated({"seed": 5, "speed": "fast"})) == name
        assert settings_module.current_lesson(settings.updated({"epochs": 7})) is None


def test_the_page_lists_match_the_limits():
    check = settings_module._CHECKS
    for value in settings_module.LEARNING_RATES:
        check["learning_rate"](value)
    for value in settings_module.L2_FACTORS:
        check["l2"](value)
    for value in settings_module.DROPOUT_RATES:
        check["dropout"](value)


def _train(preset):
    from nanokeras.playground.recipes import SettingsRecipe

    recipe = SettingsRecipe(Settings().updated(dict(PRESETS[preset][2])))
    model, data = recipe.fresh()
    return model.fit(**recipe.fit_arguments(data), verbose=0).history


def test_the_lessons_show_what_they_say():
    perceptron = _train("perceptron")
    assert perceptron["val_accuracy"][-1] >= 0.95
    overfit, regularized = _train("overfitting"), _train("regularization")
    # Overfitting: the training loss goes to zero while the test loss climbs well above its lowest point.
    assert overfit["loss"][-1] < 0.01 and overfit["val_loss"][-1] > 2 * min(overfit["val_loss"])
    # The L2 penalty: a higher training loss, a lower test loss at the end.
    assert regularized["loss"][-1] > overfit["loss"][-1]
    assert regularized["val_loss"][-1] < 0.6 * overfit["val_loss"][-1]
