"""Graduate a model from nanokeras to real Keras 3 on several devices, and bring it back.

1. nanokeras: train a small classifier on the CPU and save it as `.keras`.
2. Keras 3 on JAX: load the file, check it predicts what nanokeras predicted, continue
   training with `keras.distribution.DataParallel` over 4 devices (each batch split
   across them), save it again.
3. nanokeras: load Keras's file for lightweight CPU inference and check it predicts
   what Keras predicted.

This machine has no GPU, so step 2 runs on 4 simulated CPU devices
(`XLA_FLAGS=--xla_force_host_platform_device_count=4`); on a machine with GPUs,
drop that flag and `DataParallel` uses them. JAX reads XLA_FLAGS once, when it is
first imported, so step 2 runs in a fresh Python process with the flag set.

Run: python examples/graduate_to_keras.py [--out DIR]
Needs: pip install -e '.[graduate]'  (Keras 3 and JAX; Python >= 3.10). Files go to
out/graduate/, DIR, or $NANOKERAS_OUTPUT_DIR/graduate.
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

DEVICES = 4
EPOCHS = 5
BATCH_SIZE = 32  # a multiple of DEVICES: DataParallel splits every batch evenly


def make_data(n=512, seed=0):
    """Three Gaussian blobs in 4 dimensions, labels 0..2."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=2.0, size=(3, 4))
    y = rng.integers(0, 3, size=n)
    x = (centers[y] + rng.normal(size=(n, 4))).astype("float32")
    return x, y.astype("int32")


def train_in_nanokeras(folder):
    import nanokeras as keras

    keras.utils.set_random_seed(0)
    x, y = make_data()
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)
    path = os.path.join(folder, "trained_in_nanokeras.keras")
    model.save(path)
    np.save(os.path.join(folder, "nanokeras_predictions.npy"), model.predict(x, verbose=0))
    print(f"1. nanokeras {keras.__version__}: {EPOCHS} epochs, accuracy {history.history['accuracy'][-1]:.3f}; "
          f"saved {path}")
    return path


def continue_in_keras(folder):
    """Step 2, in this process: XLA_FLAGS and KERAS_BACKEND are set before JAX is imported."""
    import jax
    import keras

    keras.utils.set_random_seed(0)  # Keras's shuffling in fit
    x, y = make_data()
    devices = jax.devices()
    keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
    model = keras.saving.load_model(os.path.join(folder, "trained_in_nanokeras.keras"))
    loaded = np.asarray(model.predict(x, verbose=0))
    gap_in = float(np.max(np.abs(loaded - np.load(os.path.join(folder, "nanokeras_predictions.npy")))))
    kernel = model.trainable_variables[0].value
    print(f"2. Keras {keras.__version__} on {keras.backend.backend()} with {len(devices)} devices "
          f"({', '.join(str(d) for d in devices)}): loaded; predictions differ from nanokeras's by at most "
          f"{gap_in:.3g}")
    history = model.fit(x, y, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)
    path = os.path.join(folder, "trained_in_keras.keras")
    model.save(path)
    predictions = np.asarray(model.predict(x, verbose=0))
    np.save(os.path.join(folder, "keras_predictions.npy"), predictions)
    facts = {
        "devices": len(devices),
        "mesh_shape": list(keras.distribution.distribution().device_mesh.shape),
        "weights_on_devices": len(kernel.sharding.device_set),
        "loss_first": history.history["loss"][0],
        "loss_last": history.history["loss"][-1],
        "accuracy": history.history["accuracy"][-1],
        "handoff_to_keras": gap_in,
    }
    print(f"   DataParallel over a mesh of shape {tuple(facts['mesh_shape'])} (weights replicated on "
          f"{facts['weights_on_devices']} devices): {EPOCHS} more epochs, loss {facts['loss_first']:.4f} -> "
          f"{facts['loss_last']:.4f}, accuracy {facts['accuracy']:.3f}; saved {path}")
    with open(os.path.join(folder, "keras_facts.json"), "w") as file:
        json.dump(facts, file)


def back_in_nanokeras(folder):
    import nanokeras as keras

    x, _ = make_data()
    model = keras.models.load_model(os.path.join(folder, "trained_in_keras.keras"))
    gap_back = float(np.max(np.abs(model.predict(x, verbose=0) - np.load(os.path.join(folder, "keras_predictions.npy")))))
    print(f"3. nanokeras: loaded Keras's model; predictions differ from Keras's by at most {gap_back:.3g}")
    with open(os.path.join(folder, "keras_facts.json")) as file:
        facts = json.load(file)
    print(f"largest difference at a handoff: {max(facts['handoff_to_keras'], gap_back):.3g}")


def main():
    default = os.path.join(os.environ.get("NANOKERAS_OUTPUT_DIR")
                           or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out"), "graduate")
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--out", default=default, help="folder for the .keras files (default: out/graduate)")
    arguments.add_argument("--keras-step", action="store_true", help=argparse.SUPPRESS)
    options = arguments.parse_args()
    folder = os.path.abspath(options.out)
    if options.keras_step:
        continue_in_keras(folder)
        return
    os.makedirs(folder, exist_ok=True)
    train_in_nanokeras(folder)
    # Where TensorFlow is installed too, Keras imports it to save files; keep its start-up notes quiet.
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0",
               XLA_FLAGS=f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count={DEVICES}".strip())
    step = subprocess.run([sys.executable, os.path.abspath(__file__), "--keras-step", "--out", folder], env=env)
    if step.returncode != 0:
        sys.exit(f"The Keras step failed (exit code {step.returncode}); see its output above.")
    back_in_nanokeras(folder)


if __name__ == "__main__":
    main()
