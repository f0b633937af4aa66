"""(a) The tutorial's fit: Dense(1, sigmoid), SGD(0.2), batch 1, 10 epochs with validation.

Reports the wall time of the whole `fit` divided by its 700 training steps, measured after
a warm-up `fit` of one epoch (which pays for tracing/compilation where a backend has it).
"""

import time

from common import import_keras, tutorial_data

TITLE = "(a) tutorial fit"
LIBRARIES = ("nanokeras", "keras-jax", "keras-tensorflow", "keras-torch", "torch")
METRICS = (("step_us", "(a) tutorial fit, time per training step", "µs", "lower"),)
EPOCHS = 10


def run(library):
    x, y, x_val, y_val = tutorial_data()
    if library == "torch":
        seconds = _torch_fit(x, y, x_val, y_val)
    else:
        seconds = _keras_fit(import_keras(library), x, y, x_val, y_val)
    return {"step_us": seconds / (EPOCHS * len(x)) * 1e6}


def _keras_fit(keras, x, y, x_val, y_val):
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.2), loss="binary_crossentropy", metrics=["acc"])
    fit = dict(x=x, y=y, validation_data=(x_val, y_val), batch_size=1, verbose=0)
    model.fit(epochs=1, **fit)  # warm-up
    start = time.perf_counter()
    model.fit(epochs=EPOCHS, **fit)
    return time.perf_counter() - start


def _torch_fit(x, y, x_val, y_val):
    """What a PyTorch user writes for the same training: shuffled batches of 1, accuracy, validation."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.Sigmoid())
    loss_fn = torch.nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype("float32")).reshape(-1, 1)
    xv, yv = torch.from_numpy(x_val), torch.from_numpy(y_val.astype("float32")).reshape(-1, 1)

    def epoch():
        model.train()
        loss_sum = torch.zeros(())
        correct = torch.zeros(())
        for i in torch.randperm(len(xt)).tolist():
            xb, yb = xt[i:i + 1], yt[i:i + 1]
            pred = model(xb)
            loss = loss_fn(pred, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                loss_sum += loss
                correct += ((pred > 0.5).float() == yb).sum()
        history = [loss_sum.item() / len(xt), correct.item() / len(xt)]
        # validation in batches of 1, as Keras does when validation_batch_size is not given
        model.eval()
        with torch.no_grad():
            val_loss = torch.zeros(())
            val_correct = torch.zeros(())
            for i in range(len(xv)):
                pred = model(xv[i:i + 1])
                val_loss += loss_fn(pred, yv[i:i + 1])
                val_correct += ((pred > 0.5).float() == yv[i:i + 1]).sum()
        history += [val_loss.item() / len(xv), val_correct.item() / len(xv)]
        return history

    epoch()  # warm-up
    start = time.perf_counter()
    for _ in range(EPOCHS):
        epoch()
    return time.perf_counter() - start
