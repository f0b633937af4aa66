"""The code panel: the Keras program that trains exactly what the page trains.

The program makes the same data (the generator's own source is pasted in), builds
the same layers, and calls the same `compile` and `fit`, so pasting it into a file
and running it gives the page's numbers. It runs on nanokeras and, with the import
changed to `import keras`, on real Keras 3.

Example:
    >>> from nanokeras.playground.settings import Settings
    >>> code = python_code(Settings(dataset="blobs", hidden=(), optimizer="sgd", learning_rate=0.2))
    >>> print(code[code.index("model = "):code.index("history = ")].strip())
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.2),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
"""

import inspect

from nanokeras.playground import datasets
from nanokeras.playground.settings import OPTIMIZERS, UPLOADED

IMPORTS = {
    "nanokeras": "import nanokeras as keras  # or, with Keras 3: import keras",
    "keras": "import keras  # Keras 3 (any backend); or, with nanokeras: import nanokeras as keras",
}


def python_code(settings, library="nanokeras", num_classes=2, data_has_header=True):
    """The program for `settings`, as text.

    Args:
        settings: a `Settings`.
        library: `"nanokeras"` or `"keras"`: which import line the program starts with.
        num_classes: how many classes the labels have (more than 2: a softmax output).
        data_has_header: for an uploaded file, whether its first line names the columns.
    """
    if library not in IMPORTS:
        raise ValueError(f"`library` must be 'nanokeras' or 'keras', got {library!r}.")
    lines = [
        f"# The nanokeras playground's set-up, as a program: run it to train the same model.",
        "import numpy as np",
        IMPORTS[library],
        "",
        f"keras.utils.set_random_seed({settings.seed})  # the same initial weights, dropout and shuffling",
        f"rng = np.random.default_rng({settings.seed})  # the same data",
        "",
    ]
    lines += _data_lines(settings, data_has_header)
    lines += [""] + _model_lines(settings, num_classes)
    lines += [
        "",
        "history = model.fit(",
        "    x_train, y_train,",
        "    validation_data=(x_test, y_test),",
        f"    epochs={settings.epochs},",
        f"    batch_size={settings.batch_size},",
        "    verbose=2,",
        ")",
        'print("test accuracy:", history.history["val_accuracy"][-1])',
    ]
    return "\n".join(lines) + "\n"


def _data_lines(settings, data_has_header):
    percent = f"{settings.test_fraction * 100:g}%"
    if settings.dataset == UPLOADED:
        skip = 1 if data_has_header else 0
        lines = [
            f"# Data: your file, two feature columns then a label; {percent} held out to test.",
            f'data = np.loadtxt("{settings.data_file}", delimiter=",", skiprows={skip}, ndmin=2)',
            'x = data[:, :2].astype("float32")',
            "classes, y = np.unique(data[:, 2], return_inverse=True)  # labels numbered 0, 1, ...",
            'y = y.astype("int32").reshape(-1)',
        ]
    else:
        name = settings.dataset
        source = inspect.getsource(datasets.GENERATORS[name]).rstrip()
        lines = [
            f"# Data: {settings.points} points of {name!r} with noise {settings.noise:g}; "
            f"{percent} held out to test.",
            source,
            "",
            "",
            f"x, y = {name}({settings.points}, noise={settings.noise!r}, rng=rng)",
        ]
    return lines + [
        "order = rng.permutation(len(x))",
        f"n_test = round(len(x) * {settings.test_fraction!r})",
        "x_test, y_test = x[order[:n_test]], y[order[:n_test]]",
        "x_train, y_train = x[order[n_test:]], y[order[n_test:]]",
    ]


def _model_lines(settings, num_classes):
    lines = ["model = keras.Sequential([", "    keras.Input(shape=(2,)),"]
    for units in settings.hidden:
        regularizer = f", kernel_regularizer=keras.regularizers.L2({settings.l2!r})" if settings.l2 else ""
        lines.append(f'    keras.layers.Dense({units}, activation="{settings.activation}"{regularizer}),')
        if settings.dropout:
            lines.append(f"    keras.layers.Dropout({settings.dropout!r}),")
    if num_classes == 2:
        lines.append('    keras.layers.Dense(1, activation="sigmoid"),')
        loss = "binary_crossentropy"
    else:
        lines.append(f'    keras.layers.Dense({num_classes}, activation="softmax"),')
        loss = "sparse_categorical_crossentropy"
    optimizer = OPTIMIZERS[settings.optimizer]
    return lines + [
        "])",
        "model.compile(",
        f"    optimizer=keras.optimizers.{optimizer}(learning_rate={settings.learning_rate!r}),",
        f'    loss="{loss}",',
        '    metrics=["accuracy"],',
        ")",
    ]
