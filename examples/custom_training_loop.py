"""Training by hand with GradientTape, and the proof that `fit` does exactly the same.

The loop below is what `model.fit` runs for each batch: a forward pass with
`training=True` inside a tape, the loss, its gradients with respect to the
trainable weights, one optimizer update, and the metric updates. Started from
the same weights and fed the same batches in the same order (`shuffle=False`),
the hand-written loop and `fit` end with the same weights and the same metrics.

Run: python examples/custom_training_loop.py
"""

import numpy as np

import nanokeras as keras


def make_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, :1] * x[:, 1:2] + 0.5 * x[:, 2:3] > 0).astype("float32")
    return x, y


def make_model():
    return keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])


def train_by_hand(model, x, y, epochs, batch_size, learning_rate):
    """The training loop written out; returns the per-epoch mean loss and accuracy."""
    optimizer = keras.optimizers.Adam(learning_rate)
    loss_fn = keras.losses.BinaryCrossentropy()
    loss_tracker = keras.metrics.Mean(name="loss")
    accuracy = keras.metrics.BinaryAccuracy(name="accuracy")
    history = {"loss": [], "accuracy": []}
    for _ in range(epochs):
        loss_tracker.reset_state()
        accuracy.reset_state()
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            with keras.GradientTape() as tape:
                predictions = model(xb, training=True)
                loss = loss_fn(yb, predictions)
            grads = tape.gradient(loss, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            loss_tracker.update_state(loss, sample_weight=len(xb))
            accuracy.update_state(yb, predictions)
        history["loss"].append(float(loss_tracker.result()))
        history["accuracy"].append(float(accuracy.result()))
    return history


def compare(epochs=5, batch_size=32, learning_rate=0.01):
    """Trains two copies of one model, by hand and with `fit`; returns both and their histories."""
    x, y = make_data()
    keras.utils.set_random_seed(42)
    by_hand = make_model()
    with_fit = make_model()
    with_fit.set_weights(by_hand.get_weights())
    manual_history = train_by_hand(by_hand, x, y, epochs, batch_size, learning_rate)
    with_fit.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy",
                     metrics=["accuracy"])
    fit_history = with_fit.fit(x, y, epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0).history
    return by_hand, with_fit, manual_history, fit_history


def main():
    by_hand, with_fit, manual_history, fit_history = compare()
    for epoch, (ml, ma, fl, fa) in enumerate(zip(manual_history["loss"], manual_history["accuracy"],
                                                 fit_history["loss"], fit_history["accuracy"]), start=1):
        print(f"epoch {epoch}: by hand loss {ml:.6f} acc {ma:.4f} | fit loss {fl:.6f} acc {fa:.4f}")
    gap = max(float(np.max(np.abs(a - b))) for a, b in zip(by_hand.get_weights(), with_fit.get_weights()))
    print(f"largest weight difference between the two models: {gap:.2e}")


if __name__ == "__main__":
    main()
