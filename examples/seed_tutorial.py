"""The Keras beginner tutorial ("Simplest Introduction to Neural Networks with Keras"), on nanokeras.

The tutorial's code is unchanged but for the first import. Around it, this script
only adds what a notebook would show inline: the plots are written as PNG files to
`out/`, or to the folder given as `--out DIR` or in $NANOKERAS_OUTPUT_DIR
(run it with `make demo`).
"""

import argparse
import logging
import os

os.environ.setdefault("MPLBACKEND", "Agg")  # no screen needed: plots go to files
# On a fresh machine matplotlib builds its font cache once and says so; nothing is wrong.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
_default_out = os.environ.get("NANOKERAS_OUTPUT_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out")
_arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
_arguments.add_argument("--out", default=_default_out, help="folder for the plots (default: out/)")
OUT = os.path.abspath(_arguments.parse_args().out)
os.makedirs(OUT, exist_ok=True)

# ---------------------------------------------------------------- the tutorial
import nanokeras as keras          # was: import tensorflow as tf; from tensorflow import keras
import numpy as np
from sklearn.datasets import make_classification
import matplotlib.pyplot as plt
print(f'Keras version = {keras.__version__}')

np.random.seed(0)
n = 100
X, Y = make_classification(n_samples=n, n_features=2, n_redundant=0, n_informative=2, flip_y=0.05, class_sep=1.5)
X = X.astype(np.float32); Y = Y.astype(np.int32)
split = [70 * n // 100]
train_x, test_x = np.split(X, split)
train_labels, test_labels = np.split(Y, split)
# min-max normalisation, statistics from the training set only
train_x_norm = (train_x - np.min(train_x, axis=0)) / (np.max(train_x, axis=0) - np.min(train_x, axis=0))
test_x_norm = (test_x - np.min(train_x, axis=0)) / (np.max(train_x, axis=0) - np.min(train_x, axis=0))

model = keras.models.Sequential()
model.add(keras.Input(shape=(2,)))
model.add(keras.layers.Dense(1))
model.add(keras.layers.Activation(keras.activations.sigmoid))
model.summary()

model = keras.models.Sequential()
model.add(keras.layers.Dense(1, input_shape=(2,), activation='sigmoid'))
model.summary()
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.2), loss='binary_crossentropy', metrics=['acc'])
hist = model.fit(x=train_x_norm, y=train_labels, validation_data=(test_x_norm, test_labels), epochs=10, batch_size=1)

# the separating line W·x + b = 0.5, from the layer's weights, with plain numpy
W, b = model.layers[0].weights[0], model.layers[0].weights[1]
cx = np.array([0.0, 1.0], dtype=np.float32)
cy = (0.5 - W[0] * cx - b) / W[1]
plt.plot(hist.history['acc']); plt.plot(hist.history['val_acc'])

# ------------------------------------------- what the notebook shows inline
plt.title("Perceptron accuracy"); plt.xlabel("epoch"); plt.ylabel("accuracy")
plt.legend(["train", "validation"])
plt.savefig(os.path.join(OUT, "accuracy.png")); plt.close()

fig, ax = plt.subplots()
ax.scatter(train_x_norm[:, 0], train_x_norm[:, 1], c=train_labels, cmap="coolwarm", marker="o", label="train")
ax.scatter(test_x_norm[:, 0], test_x_norm[:, 1], c=test_labels, cmap="coolwarm", marker="x", label="test")
ax.plot(cx, cy, "k-", label="W·x + b = 0.5")
ax.set_xlim(-0.1, 1.1); ax.set_ylim(-0.1, 1.1); ax.legend(); ax.set_title("Data and the separating line")
fig.savefig(os.path.join(OUT, "separating_line.png")); plt.close(fig)
perceptron_val_acc = hist.history['val_acc'][-1]
# The same model as the playground draws it (python -m nanokeras.playground shows it live)
from nanokeras.playground import save_png
save_png(os.path.join(OUT, "perceptron_boundary.png"), model, train_x_norm, train_labels, history=hist,
         x_test=test_x_norm, y_test=test_labels, title="The perceptron: boundary and curves")

# ------------------------------------------------------ the tutorial, continued
# next cells: multi-class, one-hot and sparse labels, Keras-2 positional compile
model = keras.models.Sequential([keras.layers.Dense(5, input_shape=(2,), activation='relu'),
                                 keras.layers.Dense(2, activation='softmax')])
model.compile(keras.optimizers.Adam(0.01), 'categorical_crossentropy', ['acc'])
hist = model.fit(x=train_x_norm, y=keras.utils.to_categorical(train_labels),
                 validation_data=[test_x_norm, np.eye(2)[test_labels]], batch_size=1, epochs=10)
model.compile(keras.optimizers.Adam(0.01), 'sparse_categorical_crossentropy', ['acc'])
model.fit(x=train_x_norm, y=train_labels, validation_data=[test_x_norm, test_labels], batch_size=1, epochs=10)

# ------------------------------------------------------------------- summary
plt.plot(hist.history['acc']); plt.plot(hist.history['val_acc'])
plt.title("Two-layer network accuracy (one-hot labels)"); plt.xlabel("epoch"); plt.ylabel("accuracy")
plt.legend(["train", "validation"])
plt.savefig(os.path.join(OUT, "multiclass_accuracy.png")); plt.close()
print(f"\nPerceptron: final val_acc = {perceptron_val_acc:.4f}")
print(f"Plots written to {OUT}: accuracy.png, separating_line.png, perceptron_boundary.png, "
      "multiclass_accuracy.png")
