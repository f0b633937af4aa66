"""Lab: Iris with an MLP, then digits with L2 + Dropout + EarlyStopping, and the overfitting curves.

Run: python examples/lab.py [--out DIR]   (needs scikit-learn; matplotlib for the plot, written to
`out/`, to DIR, or to $NANOKERAS_OUTPUT_DIR)
"""

import argparse
import os

import numpy as np

import nanokeras as keras
from nanokeras import regularizers

SEED = 7


def split(x, y, test_fraction, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    cut = int(len(x) * (1 - test_fraction))
    return (x[order[:cut]], y[order[:cut]]), (x[order[cut:]], y[order[cut:]])


def normalizer(x_train):
    """Standardization with the training statistics (keras.layers.Normalization when available)."""
    if hasattr(keras.layers, "Normalization"):
        layer = keras.layers.Normalization()
        layer.adapt(x_train)
        return [layer]
    # Without keras.layers.Normalization the caller standardizes with numpy (same statistics).
    return []


def iris():
    from sklearn.datasets import load_iris

    data = load_iris()
    x, y = data.data.astype("float32"), data.target
    (x_train, y_train), (x_test, y_test) = split(x, y, 0.3, SEED)
    pre = normalizer(x_train)
    if not pre:
        mean, std = x_train.mean(0), x_train.std(0)
        x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    model = keras.Sequential([keras.Input((4,))] + pre + [
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(x_train, y_train, epochs=60, batch_size=16, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"iris test accuracy: {accuracy:.4f}")
    return accuracy


def digits(out):
    from sklearn.datasets import load_digits

    data = load_digits()
    images = (data.images / 16.0).astype("float32")  # (n, 8, 8), pixels 0..16
    (x_train, y_train), (x_test, y_test) = split(images, data.target, 0.25, SEED)
    flatten = [keras.layers.Flatten()] if hasattr(keras.layers, "Flatten") else []
    if not flatten:
        x_train, x_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    dropout = [keras.layers.Dropout(0.2)] if hasattr(keras.layers, "Dropout") else []
    model = keras.Sequential([keras.Input(x_train.shape[1:])] + flatten + [
        keras.layers.Dense(128, activation="relu", kernel_regularizer=regularizers.L2(1e-4)),
    ] + dropout + [keras.layers.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.005), "sparse_categorical_crossentropy", ["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True, verbose=1)
    history = model.fit(x_train, y_train, epochs=200, batch_size=32, validation_split=0.2, verbose=0,
                        callbacks=[stop])
    val_loss = history.history["val_loss"]
    print(f"early stopping: ran {len(val_loss)} epochs; lowest val_loss {min(val_loss):.4f} at epoch "
          f"{stop.best_epoch + 1}; stopped {stop.patience} epochs without improvement later; "
          f"weights restored from epoch {stop.best_epoch + 1}")
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"digits test accuracy: {accuracy:.4f}")
    plot(history.history, stop.best_epoch, os.path.join(out, "overfitting.png"))
    return accuracy


OUT = os.environ.get("NANOKERAS_OUTPUT_DIR") or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "out")


def plot(history, best_epoch, path):
    """The loss and accuracy curves, drawn by the playground's renderer, the restored epoch marked."""
    from nanokeras.playground import save_png

    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        save_png(path, history=history, mark_epoch=best_epoch + 1, title="Digits: training vs validation")
    except ImportError:
        print("matplotlib not installed: no plot")
        return
    print(f"wrote {path}")


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--out", default=OUT, help="folder for the plot (default: out/)")
    out = os.path.abspath(arguments.parse_args().out)
    keras.utils.set_random_seed(SEED)
    iris()
    digits(out)
