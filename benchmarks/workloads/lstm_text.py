"""(h) A text classifier's training: `Embedding(10000, 64) -> LSTM(64) -> Dense(1, sigmoid)`.

Sequences of 80 random token ids (vocabulary 10,000), random binary labels, Adam,
`binary_crossentropy`, batch 64. Reports training samples/s over one epoch of 2,560
samples (40 steps), after a warm-up fit of a few batches. The PyTorch peer is the loop a
PyTorch user writes: `nn.Embedding`, `nn.LSTM(batch_first=True)`, `nn.Linear`,
`BCEWithLogitsLoss` (the sigmoid folded in), `Adam`.
"""

import time

from common import import_keras

TITLE = "(h) LSTM text classifier"
LIBRARIES = ("nanokeras", "keras-jax", "keras-tensorflow", "torch")
METRICS = (("lstm_train_sps", "(h) LSTM text training, batch 64", "samples/s", "higher"),)
VOCABULARY, LENGTH, WIDTH, BATCH, SAMPLES = 10000, 80, 64, 64, 2560


def lstm_data(n=SAMPLES):
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.integers(1, VOCABULARY, size=(n, LENGTH)).astype("int32")
    y = rng.integers(0, 2, size=(n, 1)).astype("float32")
    return x, y


def run(library):
    x, y = lstm_data()
    warm = x[:4 * BATCH], y[:4 * BATCH]
    seconds = (_torch if library == "torch" else _keras)(library, x, y, warm)
    return {"lstm_train_sps": len(x) / seconds}


def _keras(library, x, y, warm):
    keras = import_keras(library)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(LENGTH,), dtype="int32"),
        keras.layers.Embedding(VOCABULARY, WIDTH),
        keras.layers.LSTM(WIDTH),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    model.fit(*warm, batch_size=BATCH, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    return time.perf_counter() - start


def _torch(library, x, y, warm):
    import torch

    torch.manual_seed(0)

    class Classifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(VOCABULARY, WIDTH)
            self.lstm = torch.nn.LSTM(WIDTH, WIDTH, batch_first=True)
            self.out = torch.nn.Linear(WIDTH, 1)

        def forward(self, ids):
            _, (h, _) = self.lstm(self.embedding(ids))
            return self.out(h[-1])

    model = Classifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def epoch(xs, ys):
        xt, yt = torch.from_numpy(xs.astype("int64")), torch.from_numpy(ys)
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
