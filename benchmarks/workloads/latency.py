"""(e) The latency of predicting one sample: `model.predict(x[:1], verbose=0)` and `model(x[:1])`.

For the tutorial's model (a) and the MLP (b), median over many calls after a few warm-up
calls. PyTorch has no `predict`: its row is `model(x)` under `torch.no_grad()`, reported in
both columns.
"""

from common import import_keras, median_call_time, mlp_data, tutorial_data

TITLE = "(e) one-sample latency"
LIBRARIES = ("nanokeras", "keras-jax", "keras-tensorflow", "keras-torch", "torch")
METRICS = (
    ("tiny_predict_us", "(e) tutorial model, predict(x[:1])", "µs", "lower"),
    ("tiny_call_us", "(e) tutorial model, model(x[:1])", "µs", "lower"),
    ("mlp_predict_us", "(e) MLP, predict(x[:1])", "µs", "lower"),
    ("mlp_call_us", "(e) MLP, model(x[:1])", "µs", "lower"),
)


def run(library):
    x_tiny = tutorial_data()[0][:1]
    x_mlp = mlp_data(8)[0][:1]
    if library == "torch":
        return _torch(x_tiny, x_mlp)
    keras = import_keras(library)
    keras.utils.set_random_seed(0)
    tiny = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    mlp = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    out = {}
    for name, model, x in (("tiny", tiny, x_tiny), ("mlp", mlp, x_mlp)):
        out[name + "_predict_us"] = 1e6 * median_call_time(lambda: model.predict(x, verbose=0))
        out[name + "_call_us"] = 1e6 * median_call_time(lambda: model(x))
    return out


def _torch(x_tiny, x_mlp):
    import torch

    torch.manual_seed(0)
    tiny = torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.Sigmoid()).eval()
    mlp = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10), torch.nn.Softmax(dim=1),
    ).eval()
    out = {}
    for name, model, x in (("tiny", tiny, x_tiny), ("mlp", mlp, x_mlp)):
        def call():
            with torch.no_grad():
                return model(torch.from_numpy(x)).numpy()
        us = 1e6 * median_call_time(call)
        out[name + "_predict_us"] = us
        out[name + "_call_us"] = us
    return out
