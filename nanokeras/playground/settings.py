"""What the page can set: the dataset, the network and how it trains, validated in one place.

The browser sends only names and numbers. Each one is checked against the choices
below before anything changes, so a bad request is refused with a message that
says which setting, what was expected and what came, and the playground stays
as it was.

Example:
    >>> from nanokeras.playground.settings import Settings
    >>> settings = Settings().updated({"dataset": "circles", "hidden": [8, 8]})
    >>> settings.dataset, settings.hidden
    ('circles', (8, 8))
    >>> Settings().updated({"activaton": "relu"})
    Traceback (most recent call last):
    ...
    ValueError: Unknown setting: 'activaton'. Did you mean 'activation'? ...
"""

import dataclasses
import numbers
from typing import Optional, Tuple

from nanokeras.playground import datasets
from nanokeras.utils.lookup import lookup, unknown_identifier_error

# Choices the page offers. Numbers outside the lists are accepted when inside the limits below.
ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "linear")
OPTIMIZERS = {"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop", "adagrad": "Adagrad"}
LEARNING_RATES = (0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
L2_FACTORS = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
DROPOUT_RATES = (0.0, 0.1, 0.2, 0.3, 0.5)
SPEEDS = {"slow": 4.0, "normal": 20.0, "fast": None}  # epochs per second at most; None: as fast as it goes
MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 16
MAX_EPOCHS = 2000
UPLOADED = "uploaded"  # the dataset name of an uploaded CSV file


@dataclasses.dataclass(frozen=True)
class Settings:
    """One playground set-up. Every field is what the code panel writes out, except `speed`."""

    dataset: str = "moons"
    points: int = 200
    noise: float = 0.1
    test_fraction: float = 0.3
    seed: int = 0
    hidden: Tuple[int, ...] = (4, 4)
    activation: str = "tanh"
    optimizer: str = "adam"
    learning_rate: float = 0.03
    batch_size: int = 10
    l2: float = 0.0
    dropout: float = 0.0
    epochs: int = 100
    speed: str = "normal"
    # The uploaded file's name (shown in the code); set by an upload, never by the page.
    data_file: Optional[str] = None

    def updated(self, changes, uploaded=False):
        """A copy with `changes` (a dict from the page) applied, all checked first.

        Args:
            changes: setting names to new values.
            uploaded: whether a CSV file has been uploaded (then `dataset="uploaded"` is allowed).
        """
        if not isinstance(changes, dict):
            raise TypeError(f"Settings must be a JSON object of name: value, got {type(changes).__name__}.")
        fields = {f.name for f in dataclasses.fields(self) if f.name != "data_file"}
        checked = {}
        for name, value in changes.items():
            if name not in fields:
                raise unknown_identifier_error(name, fields, "setting")
            checked[name] = _CHECKS[name](value)
        if checked.get("dataset") == UPLOADED and not uploaded:
            raise ValueError("Setting `dataset`: no CSV file has been uploaded yet; upload one first.")
        return dataclasses.replace(self, **checked)

    def to_json(self):
        values = dataclasses.asdict(self)
        values["hidden"] = list(self.hidden)
        return values


def _integer(name, low, high):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != int(value):
            raise TypeError(f"Setting `{name}` must be a whole number from {low} to {high}, got {value!r}.")
        if not low <= value <= high:
            raise ValueError(f"Setting `{name}` must be from {low} to {high}, got {int(value)}.")
        return int(value)

    return check


def _number(name, low, high, low_open=False):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
            raise TypeError(f"Setting `{name}` must be a number, got {value!r}.")
        if value > high or value < low or (low_open and value == low):
            bound = f"above {low}" if low_open else f"from {low}"
            raise ValueError(f"Setting `{name}` must be {bound} up to {high}, got {value!r}.")
        return float(value)

    return check


def _choice(name, choices):
    def check(value):
        return lookup(value, {c: c for c in choices}, kind=f"value for setting `{name}`")

    return check


def _hidden(value):
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"Setting `hidden` must be a list of layer sizes such as [4, 4], got {value!r}.")
    if len(value) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"Setting `hidden`: at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(value)}.")
    check_units = _integer("hidden", 1, MAX_UNITS)
    return tuple(check_units(units) for units in value)


_CHECKS = {
    "dataset": _choice("dataset", tuple(datasets.GENERATORS) + (UPLOADED,)),
    "points": _integer("points", 20, 2000),
    "noise": _number("noise", 0.0, 0.5),
    "test_fraction": _number("test_fraction", 0.1, 0.9),
    "seed": _integer("seed", 0, 2**31 - 1),
    "hidden": _hidden,
    "activation": _choice("activation", ACTIVATIONS),
    "optimizer": _choice("optimizer", tuple(OPTIMIZERS)),
    "learning_rate": _number("learning_rate", 0.0, 10.0, low_open=True),
    "batch_size": _integer("batch_size", 1, 10000),
    "l2": _number("l2", 0.0, 1.0),
    "dropout": _number("dropout", 0.0, 0.9),
    "epochs": _integer("epochs", 1, MAX_EPOCHS),
    "speed": _choice("speed", tuple(SPEEDS)),
}


# Set-ups for the tutorial's lessons, one click each in the page: (title, what to watch, settings).
PRESETS = {
    "perceptron": (
        "The tutorial: a perceptron separates two clouds",
        "One Dense unit with a sigmoid computes sigmoid(w1*x1 + w2*x2 + b): where that is 0.5 is always a "
        "straight line. Press Train and watch the line turn until it separates the clouds.",
        dict(dataset="blobs", points=200, noise=0.1, test_fraction=0.3, hidden=[], optimizer="sgd",
             learning_rate=0.3, batch_size=10, l2=0.0, dropout=0.0, epochs=30)),
    "hidden_layer": (
        "Hidden layers bend the boundary",
        "No straight line separates the moons. Each hidden unit draws a soft line (its square); "
        "the next layers combine those lines into a curve.",
        dict(dataset="moons", points=200, noise=0.1, test_fraction=0.3, hidden=[4, 4], activation="tanh",
             optimizer="adam", learning_rate=0.03, batch_size=10, l2=0.0, dropout=0.0, epochs=100)),
    "overfitting": (
        "Overfitting: a big network learns the noise",
        "Few noisy points and a big network: the training loss falls to zero while the test loss turns "
        "and climbs, and the boundary curls around single points.",
        dict(dataset="moons", points=80, noise=0.25, test_fraction=0.5, hidden=[16, 16, 16], activation="relu",
             optimizer="adam", learning_rate=0.01, batch_size=8, l2=0.0, dropout=0.0, epochs=300)),
    "regularization": (
        "Regularisation: an L2 penalty keeps it simple",
        "The same network and data with an L2 penalty on the weights: the boundary stays smooth and the "
        "test loss stays low. Try dropout too, and compare the curves with the lesson before.",
        dict(dataset="moons", points=80, noise=0.25, test_fraction=0.5, hidden=[16, 16, 16], activation="relu",
             optimizer="adam", learning_rate=0.01, batch_size=8, l2=0.01, dropout=0.0, epochs=300)),
}


def current_lesson(settings):
    """The name of the lesson whose set-up `settings` is (the seed and speed aside), or None."""
    for name, (_, _, changes) in PRESETS.items():
        if settings.updated(dict(changes), uploaded=True) == settings:
            return name
    return None
