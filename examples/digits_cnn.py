"""A convolutional network on scikit-learn's 8x8 digits, with augmentation, and pictures of what it learned.

Conv2D / BatchNormalization / MaxPooling2D / GlobalAveragePooling2D, random
rotations, shifts and zooms while training, and ReduceLROnPlateau. Prints the
test accuracy and writes three pictures: the first layer's filters, one
digit's feature maps after each convolution, and the training curves.

Run: python examples/digits_cnn.py [--out DIR]   (needs scikit-learn and matplotlib; the pictures go to
`out/digits_cnn/`, to DIR, or to $NANOKERAS_OUTPUT_DIR/digits_cnn)
"""

import argparse
import os

import numpy as np

import nanokeras as keras
from nanokeras import layers

SEED = 3


def load_digits_images():
    """The 1,797 digits as (n, 8, 8, 1) images in [0, 1]."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return (data.images / 16.0).astype("float32")[..., None], data.target.astype("int32")


def split(x, y, seed):
    """60% training, 15% validation, 25% test, shuffled once."""
    order = np.random.default_rng(seed).permutation(len(x))
    train, val = int(0.6 * len(x)), int(0.75 * len(x))
    parts = np.split(order, [train, val])
    return [(x[p], y[p]) for p in parts]


def build_model():
    return keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.RandomRotation(0.03, fill_mode="constant", seed=SEED),
        layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=SEED),
        layers.RandomZoom(0.1, fill_mode="constant", seed=SEED),
        layers.Conv2D(32, 3, padding="same", name="conv1"),
        layers.BatchNormalization(momentum=0.9),  # moving statistics that catch up within a few epochs
        layers.Activation("relu"),
        layers.Conv2D(32, 3, padding="same", activation="relu", name="conv2"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", name="conv3"),
        layers.BatchNormalization(momentum=0.9),  # moving statistics that catch up within a few epochs
        layers.Activation("relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),
    ])


def save_pictures(model, history, digit, label, out_dir):
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    kernel = model.get_layer("conv1").kernel.numpy()[:, :, 0, :]  # (3, 3, 32)
    fig, axes = plt.subplots(4, 8, figsize=(8, 4.4))
    for i, ax in enumerate(axes.flat):
        ax.imshow(kernel[:, :, i], cmap="RdBu_r", vmin=-np.abs(kernel).max(), vmax=np.abs(kernel).max())
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{i}", fontsize=7)
    fig.suptitle("conv1: the 32 learned 3x3 filters (red positive, blue negative)")
    fig.savefig(os.path.join(out_dir, "filters.png"), dpi=100)
    plt.close(fig)

    probe = keras.Model(model.input, [model.get_layer(name).output for name in ("conv1", "conv2", "conv3")])
    maps = probe.predict(digit[None], verbose=0)
    fig, axes = plt.subplots(4, 9, figsize=(10, 4.8))
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[0, 1:]:
        ax.axis("off")
    axes[0, 0].imshow(digit[:, :, 0], cmap="gray_r")
    axes[0, 0].set_title(f"input (a {label})", fontsize=8)
    for row, (name, feature) in enumerate(zip(("conv1", "conv2", "conv3"), maps), start=1):
        axes[row, 0].set_ylabel(name, fontsize=8)
        for col in range(8):
            axes[row, col + 1].imshow(feature[0, :, :, col], cmap="viridis")
        axes[row, 0].imshow(feature[0].mean(axis=-1), cmap="viridis")
        axes[row, 0].set_title("mean", fontsize=7)
    fig.suptitle("One digit's feature maps after each convolution (first 8 channels)")
    fig.savefig(os.path.join(out_dir, "feature_maps.png"), dpi=100)
    plt.close(fig)

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    epochs = np.arange(1, len(history["loss"]) + 1)
    left.plot(epochs, history["loss"], label="training")
    left.plot(epochs, history["val_loss"], label="validation")
    left.set_xlabel("epoch")
    left.set_ylabel("cross-entropy loss")
    left.set_yscale("log")
    left.legend()
    right.plot(epochs, history["accuracy"], label="training")
    right.plot(epochs, history["val_accuracy"], label="validation")
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy")
    right.legend(loc="lower right")
    twin = right.twinx()
    twin.plot(epochs, history["learning_rate"], color="gray", linestyle=":", label="learning rate")
    twin.set_ylabel("learning rate (dotted)")
    fig.suptitle("Training curves (ReduceLROnPlateau lowers the learning rate when val_loss stalls)")
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "training_curves.png"), dpi=100)
    plt.close(fig)


class RecordLearningRate(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(np.asarray(self.model.optimizer.learning_rate))


def main(out_dir):
    keras.utils.set_random_seed(SEED)
    x, y = load_digits_images()
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = split(x, y, SEED)
    model = build_model()
    model.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", ["accuracy"])
    model.summary()
    callbacks = [
        RecordLearningRate(),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3, min_lr=1e-5, verbose=1),
    ]
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=40, batch_size=32,
                        callbacks=callbacks, verbose=2)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"digits CNN test accuracy: {accuracy:.4f}")
    save_pictures(model, history.history, x_test[0], int(y_test[0]), out_dir)
    print(f"pictures written to {out_dir}: filters.png, feature_maps.png, training_curves.png")
    return accuracy


if __name__ == "__main__":
    default = os.path.join(os.environ.get("NANOKERAS_OUTPUT_DIR")
                           or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out"), "digits_cnn")
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--out", default=default, help="folder for the pictures (default: out/digits_cnn)")
    main(os.path.abspath(arguments.parse_args().out))
