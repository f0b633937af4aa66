"""(f) A small CNN on 8x8 images: Conv2D(16, 3, same, relu) -> MaxPooling2D(2) -> Conv2D(32, 3, relu)
-> GlobalAveragePooling2D -> Dense(10, softmax), Adam, batch 32, 8,192 random samples.

Reports training samples/s over one epoch, after a warm-up fit of a few steps (with the short
last batch, so compiled backends have seen both batch shapes). The PyTorch row is the usual
eager loop (channels first, CrossEntropyLoss on logits).
"""

import time

from common import image_data, import_keras

TITLE = "(f) small CNN"
LIBRARIES = ("nanokeras", "keras-jax", "keras-tensorflow", "torch")
METRICS = (("cnn_small_train_sps", "(f) small CNN 8x8 training, batch 32", "samples/s", "higher"),)
BATCH = 32
SAMPLES = 8192 + 17  # a short last batch, as real data has


def run(library):
    x, y = image_data(SAMPLES, 8, 8)
    warm = x[:4 * BATCH + SAMPLES % BATCH], y[:4 * BATCH + SAMPLES % BATCH]
    fit_s = (_torch if library == "torch" else _keras)(library, x, y, warm)
    return {"cnn_small_train_sps": len(x) / fit_s}


def _keras(library, x, y, warm):
    keras = import_keras(library)
    keras.utils.set_random_seed(0)
    layers = keras.layers
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy")
    model.fit(*warm, batch_size=BATCH, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    return time.perf_counter() - start


def _torch(library, x, y, warm):
    import torch

    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(32, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def epoch(xs, ys):
        xt = torch.from_numpy(xs).permute(0, 3, 1, 2).contiguous()
        yt = torch.from_numpy(ys.astype("int64"))
        model.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), BATCH):
            idx = perm[i:i + BATCH]
            loss = loss_fn(model(xt[idx]), yt[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    epoch(*warm)
    start = time.perf_counter()
    epoch(x, y)
    return time.perf_counter() - start
