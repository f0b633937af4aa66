"""(g) keras.io's "Simple MNIST convnet" on 28x28x1 random images: Conv2D(32, 3, relu) -> MaxPooling2D
-> Conv2D(64, 3, relu) -> MaxPooling2D -> Flatten -> Dropout(0.5) -> Dense(10, softmax), Adam, batch 128.

Reports training samples/s over one epoch of 6,000 samples (after a warm-up fit of a few steps
with the short last batch), `predict` samples/s with batch 1024 (after a warm-up), and the
process's peak resident memory. The PyTorch row is the usual eager loop (channels first,
CrossEntropyLoss on logits, `torch.no_grad()` for predictions).
"""

import time

from common import image_data, import_keras, peak_rss_mib

TITLE = "(g) MNIST CNN"
LIBRARIES = ("nanokeras", "keras-jax", "keras-tensorflow", "torch")
METRICS = (
    ("cnn_mnist_train_sps", "(g) MNIST CNN training, batch 128", "samples/s", "higher"),
    ("cnn_mnist_predict_sps", "(g) MNIST CNN predict, batch 1024", "samples/s", "higher"),
    ("cnn_mnist_peak_rss_mib", "(g) peak RSS running (g)", "MiB", "lower"),
)
BATCH = 128
PREDICT_BATCH = 1024
SAMPLES = 6000


def run(library):
    x, y = image_data(SAMPLES, 28, 28)
    warm_fit = x[:2 * BATCH + SAMPLES % BATCH], y[:2 * BATCH + SAMPLES % BATCH]
    warm_predict = x[:PREDICT_BATCH + SAMPLES % PREDICT_BATCH]
    fit_s, predict_s = (_torch if library == "torch" else _keras)(library, x, y, warm_fit, warm_predict)
    return {"cnn_mnist_train_sps": len(x) / fit_s, "cnn_mnist_predict_sps": len(x) / predict_s,
            "cnn_mnist_peak_rss_mib": peak_rss_mib()}


def _keras(library, x, y, warm_fit, warm_predict):
    keras = import_keras(library)
    keras.utils.set_random_seed(0)
    layers = keras.layers
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy")
    model.fit(*warm_fit, batch_size=BATCH, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    fit_s = time.perf_counter() - start
    model.predict(warm_predict, batch_size=PREDICT_BATCH, verbose=0)
    start = time.perf_counter()
    model.predict(x, batch_size=PREDICT_BATCH, verbose=0)
    return fit_s, time.perf_counter() - start


def _torch(library, x, y, warm_fit, warm_predict):
    import torch

    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10),
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

    def predict(xs):
        xt = torch.from_numpy(xs).permute(0, 3, 1, 2).contiguous()
        model.eval()
        with torch.no_grad():
            return torch.cat([torch.softmax(model(xt[i:i + PREDICT_BATCH]), dim=1)
                              for i in range(0, len(xt), PREDICT_BATCH)]).numpy()

    epoch(*warm_fit)
    start = time.perf_counter()
    epoch(x, y)
    fit_s = time.perf_counter() - start
    predict(warm_predict)
    start = time.perf_counter()
    predict(x)
    return fit_s, time.perf_counter() - start
