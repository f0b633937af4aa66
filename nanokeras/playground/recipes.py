"""Where the playground's model and data come from: the page's own set-up, or the user's model.

A recipe makes a fresh model and its data (`fresh()`), describes itself to the
page (`describe()`), and says how to call `fit`. `SettingsRecipe` builds both from
the page's `Settings` (and an uploaded file); `UserModelRecipe` wraps a model and
data handed to `nanokeras.playground.show`, and a fresh start puts back the
weights and optimizer state it had then.
"""

import dataclasses
import os
import tempfile

import numpy as np

from nanokeras.playground import datasets, settings as settings_module
from nanokeras.playground.code_generation import python_code
from nanokeras.playground.model_builder import build_model
from nanokeras.playground.pictures import data_extent
from nanokeras.playground.settings import Settings


class SettingsRecipe:
    """The page's set-up: built-in or uploaded data, and a `Sequential` model built from `Settings`."""

    mode = "settings"

    def __init__(self, settings=None, table=None):
        self.settings = settings or Settings()
        self.table = table

    @property
    def num_classes(self):
        return len(self.table.classes) if self.settings.dataset == settings_module.UPLOADED else 2

    def updated(self, changes):
        """A recipe with `changes` applied (validated first; raises ValueError/TypeError)."""
        return SettingsRecipe(self.settings.updated(changes, uploaded=self.table is not None), self.table)

    def with_upload(self, table, filename):
        settings = self.settings.updated({"dataset": settings_module.UPLOADED}, uploaded=True)
        return SettingsRecipe(dataclasses.replace(settings, data_file=filename), table)

    def fresh(self):
        """`(model, ((x_train, y_train), (x_test, y_test)))`, newly made."""
        data = datasets.load(self.settings, self.table)
        return build_model(self.settings, self.num_classes), data

    def fit_arguments(self, data):
        (x_train, y_train), test = data
        return dict(x=x_train, y=y_train, validation_data=test, epochs=self.settings.epochs,
                    batch_size=self.settings.batch_size)

    @property
    def epochs_per_second(self):
        return settings_module.SPEEDS[self.settings.speed]

    def class_names(self):
        if self.settings.dataset == settings_module.UPLOADED:
            return [f"{value:g}" for value in self.table.classes]
        return ["0", "1"]

    def describe(self):
        """What the page shows about the set-up: settings, choices and the code."""
        has_header = self.table.has_header if self.table is not None else True
        code = {library: python_code(self.settings, library, self.num_classes, has_header)
                for library in ("nanokeras", "keras")}
        return {
            "settings": self.settings.to_json(),
            "code": code,
            "uploaded": self.settings.data_file if self.table is not None else None,
            "choices": {
                "dataset": list(datasets.GENERATORS) + ([settings_module.UPLOADED] if self.table is not None else []),
                "activation": list(settings_module.ACTIVATIONS),
                "optimizer": list(settings_module.OPTIMIZERS),
                "learning_rate": list(settings_module.LEARNING_RATES),
                "l2": list(settings_module.L2_FACTORS),
                "dropout": list(settings_module.DROPOUT_RATES),
                "speed": list(settings_module.SPEEDS),
                "max_hidden_layers": settings_module.MAX_HIDDEN_LAYERS,
                "max_units": settings_module.MAX_UNITS,
                "max_epochs": settings_module.MAX_EPOCHS,
            },
            "presets": {name: {"title": title, "text": text}
                        for name, (title, text, _) in settings_module.PRESETS.items()},
            "lesson": settings_module.current_lesson(self.settings),
        }


class UserModelRecipe:
    """A compiled two-feature model and its data, as given to `show()`; only `fit`'s options change."""

    mode = "model"
    _CHANGEABLE = ("epochs", "batch_size", "speed")

    def __init__(self, model, x, y, validation_data=None, epochs=100, batch_size=32, speed="normal"):
        self.model = model
        self.x, self.y = x, y
        self.validation_data = validation_data
        self.settings = Settings(epochs=epochs, batch_size=batch_size, speed=speed)
        # Built now, so that a fresh start can put back exactly this state.
        if not model.built:
            model.build((None, 2))
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        self._weights = model.get_weights()
        self._optimizer_state = [np.array(v) for v in model.optimizer.variables]

    @property
    def num_classes(self):
        return max(2, int(np.asarray(self.model.outputs[0].shape)[-1])) if getattr(self.model, "outputs", None) else 2

    def updated(self, changes):
        if isinstance(changes, dict):
            fixed = sorted(set(changes) - set(self._CHANGEABLE))
            if fixed:
                raise ValueError(
                    f"Setting(s) {', '.join(fixed)} cannot change here: the model and data are the ones given to "
                    f"show(). Only {', '.join(self._CHANGEABLE)} can; change the rest in your code."
                )
        recipe = object.__new__(UserModelRecipe)
        recipe.__dict__.update(self.__dict__)
        recipe.settings = self.settings.updated(changes)
        return recipe

    def fresh(self):
        self.model.set_weights(self._weights)
        for variable, value in zip(self.model.optimizer.variables, self._optimizer_state):
            variable.assign(value)
        test = None
        if self.validation_data is not None:
            test = tuple(self.validation_data[:2])
        return self.model, ((self.x, self.y), test)

    def fit_arguments(self, data):
        (x_train, y_train), test = data
        arguments = dict(x=x_train, y=y_train, epochs=self.settings.epochs, batch_size=self.settings.batch_size)
        if self.validation_data is not None:
            arguments["validation_data"] = self.validation_data
        return arguments

    @property
    def epochs_per_second(self):
        return settings_module.SPEEDS[self.settings.speed]

    def class_names(self):
        return [str(i) for i in range(self.num_classes)]

    def describe(self):
        lines = []
        self.model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
        summary = "\n".join(lines)
        validation = ", validation_data=validation_data" if self.validation_data is not None else ""
        code = ("# Your model and data, as given to nanokeras.playground.show() (its summary is above);\n"
                "# each Train runs this call, from the weights the model had then:\n"
                f"history = model.fit(x, y{validation}, epochs={self.settings.epochs}, "
                f"batch_size={self.settings.batch_size})\n")
        return {
            "settings": self.settings.to_json(),
            "code": {"nanokeras": code, "keras": code},
            "uploaded": None,
            "summary": summary,
            "choices": {"speed": list(settings_module.SPEEDS), "max_epochs": settings_module.MAX_EPOCHS},
            "presets": {},
            "lesson": None,
        }


def extent_of(data):
    (x_train, _), test = data
    return data_extent(x_train, *([test[0]] if test is not None else []))


def points_of(data):
    """The points as the page draws them: `{"train": [[x1, x2, class], ...], "test": [...]}`."""

    def rows(x, y):
        labels = np.asarray(y).reshape(len(y), -1)
        labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels[:, 0]
        table = np.column_stack([np.asarray(x, dtype=np.float64)[:, :2], labels])
        return np.round(table, 4).tolist()

    (x_train, y_train), test = data
    return {"train": rows(x_train, y_train), "test": rows(*test) if test is not None else []}


def save_to_bytes(model):
    """The model as the bytes of a `.keras` file.

    An untrained model's optimizer is built first (its slots start at zero either way),
    so the file holds a complete optimizer state that Keras and nanokeras load without a warning.
    """
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as file:
            return file.read()

