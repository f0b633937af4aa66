"""(b) + (d) An MLP 784-256-128-10 trained with Adam on 20,000 random samples, batch 128.

Reports training samples/s over one epoch, in wall time and per CPU second (after a warm-up
fit of a few steps, which includes a short last batch so that compiled backends have seen
both batch shapes), the time from a fresh process to the end of that warm-up fit (imports
and JIT compiling included), `predict` samples/s with batch 1024 (after a warm-up likewise),
and the process's peak resident memory at the end, which is workload (d).
"""

import time
import warnings

from common import import_keras, mlp_data, peak_rss_mib

TITLE = "(b) MLP"
LIBRARIES = ("nanokeras", "nanokeras-fast", "keras-jax", "keras-tensorflow", "keras-torch", "torch", "sklearn")
METRICS = (
    ("train_sps", "(b) MLP training", "samples/s", "higher"),
    ("predict_sps", "(b) MLP predict, batch 1024", "samples/s", "higher"),
    ("peak_rss_mib", "(d) peak RSS running (b)", "MiB", "lower"),
    ("first_fit_s", "(b) fresh process to the end of a first fit of 5 batches (import, build, compile)", "s", "lower"),
)
BATCH = 128
PREDICT_BATCH = 1024


def run(library):
    # the runner notes when its warm-up fit ends (building and compiling included) and the CPU
    # seconds of the timed fit (all threads summed: comparable when each library has one)
    timings = {}
    x, y = mlp_data()
    n = len(x)
    # warm-up sizes: a few full batches plus the short last batch of the real run
    warm_fit = x[:4 * BATCH + n % BATCH], y[:4 * BATCH + n % BATCH]
    warm_predict = x[:PREDICT_BATCH + n % PREDICT_BATCH]
    runner = {"torch": _torch, "sklearn": _sklearn}.get(library, _keras)
    start = time.perf_counter()
    fit_s, predict_s = runner(library, x, y, warm_fit, warm_predict, timings)
    out = {"train_sps": n / fit_s, "peak_rss_mib": peak_rss_mib(),
           "first_fit_s": timings["first_fit_end"] - start}
    if "fit_cpu_s" in timings:
        out["train_cpu_sps"] = n / timings["fit_cpu_s"]
    if predict_s is not None:
        out["predict_sps"] = n / predict_s
    return out


def _keras(library, x, y, warm_fit, warm_predict, timings):
    keras = import_keras(library)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy")
    model.fit(*warm_fit, batch_size=BATCH, epochs=1, verbose=0)
    timings["first_fit_end"] = time.perf_counter()
    start, cpu = time.perf_counter(), time.process_time()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    fit_s = time.perf_counter() - start
    timings["fit_cpu_s"] = time.process_time() - cpu
    model.predict(warm_predict, batch_size=PREDICT_BATCH, verbose=0)
    start = time.perf_counter()
    model.predict(x, batch_size=PREDICT_BATCH, verbose=0)
    return fit_s, time.perf_counter() - start


def _torch(library, x, y, warm_fit, warm_predict, timings):
    """The usual eager loop: shuffled minibatches, CrossEntropyLoss on logits (softmax folded in)."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch(xs, ys):
        xt, yt = torch.from_numpy(xs), torch.from_numpy(ys.astype("int64"))
        model.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), BATCH):
            idx = perm[i:i + BATCH]
            loss = loss_fn(model(xt[idx]), yt[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    def predict(xs):
        xt = torch.from_numpy(xs)
        model.eval()
        with torch.no_grad():
            return torch.cat([torch.softmax(model(xt[i:i + PREDICT_BATCH]), dim=1)
                              for i in range(0, len(xt), PREDICT_BATCH)]).numpy()

    epoch(*warm_fit)
    timings["first_fit_end"] = time.perf_counter()
    start, cpu = time.perf_counter(), time.process_time()
    epoch(x, y)
    fit_s = time.perf_counter() - start
    timings["fit_cpu_s"] = time.process_time() - cpu
    predict(warm_predict)
    start = time.perf_counter()
    predict(x)
    return fit_s, time.perf_counter() - start


def _sklearn(library, x, y, warm_fit, warm_predict, timings):
    from sklearn.neural_network import MLPClassifier

    def make():
        return MLPClassifier(hidden_layer_sizes=(256, 128), batch_size=BATCH, max_iter=1,
                             solver="adam", learning_rate_init=1e-3, random_state=0)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: one epoch is the point
        make().fit(*warm_fit)
        timings["first_fit_end"] = time.perf_counter()
        model = make()
        start = time.perf_counter()
        model.fit(x, y)
        fit_s = time.perf_counter() - start
    model.predict_proba(warm_predict)
    start = time.perf_counter()
    model.predict_proba(x)  # sklearn predicts the whole array at once; it has no batch size
    return fit_s, time.perf_counter() - start
