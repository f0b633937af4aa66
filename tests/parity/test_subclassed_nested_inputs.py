"""A subclassed Model called on a dict of inputs (DLWP's CustomerTicketModel): built by its first call
and computing what Keras computes from the same weights."""

import numpy as np

import nanokeras as nk


def _ticket_model(lib):
    class CustomerTicketModel(lib.Model):
        def __init__(self, num_departments):
            super().__init__()
            self.concat_layer = lib.layers.Concatenate()
            self.mixing_layer = lib.layers.Dense(8, activation="relu")
            self.priority_scorer = lib.layers.Dense(1, activation="sigmoid")
            self.department_classifier = lib.layers.Dense(num_departments, activation="softmax")

        def call(self, inputs):
            features = self.concat_layer([inputs["title"], inputs["text_body"], inputs["tags"]])
            features = self.mixing_layer(features)
            return self.priority_scorer(features), self.department_classifier(features)

    return CustomerTicketModel(num_departments=3)


def test_customer_ticket_model_called_on_a_dict(keras):
    rng = np.random.default_rng(0)
    data = {"title": rng.random((4, 10), dtype="float32"), "text_body": rng.random((4, 10), dtype="float32"),
            "tags": rng.random((4, 5), dtype="float32")}
    theirs, ours = _ticket_model(keras), _ticket_model(nk)
    expected = theirs(data)
    ours(data)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    for got, want in zip(ours.predict(data, verbose=0), expected):
        np.testing.assert_allclose(got, np.asarray(want), rtol=1e-5, atol=1e-6)
