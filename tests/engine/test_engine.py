"""The training engine's interface: the typed request, the trainer table, and the
explicit channels of the fused search (an engine and a Prefitted on the
estimator, never process-wide state)."""

import keras
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from sklkeras import MLPClassifier
from sklkeras._engine import (
    ENGINE,
    FUSING,
    TRAINERS,
    Engine,
    TrainingRequest,
    train_together,
    trainer_for,
)
from sklkeras._estimator import Prefitted

X = np.random.default_rng(0).normal(size=(40, 3)).astype("float32")
y = (X[:, 0] > 0).astype(int)


def _net(**compile_kwargs):
    net = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    net.compile(optimizer="sgd", loss="mse", **compile_kwargs)
    return net


def test_the_table_names_every_trainer_once():
    names = [t.name for t in (*TRAINERS, *FUSING.values())]
    assert names == [
        "tf-epoch-loop",
        "jax-fused-one",
        "jax-epoch-loop",
        "keras-fit",
        "fused-jax",
        "fused-tf",
    ]
    assert all(t.why for t in (*TRAINERS, *FUSING.values()))
    assert TRAINERS[-1].accepts(TrainingRequest(_net(), [X, y], 8, 1))


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TF table rows")
def test_trainer_for_follows_the_table():
    plain = TrainingRequest(_net(), [X, y.astype("float32")], 8, 2)
    assert trainer_for(plain).name == "tf-epoch-loop"
    eager = TrainingRequest(_net(run_eagerly=True), [X, y.astype("float32")], 8, 2)
    assert trainer_for(eager).name == "keras-fit"
    history = ENGINE.train(eager)
    assert len(history.history["loss"]) == 2


def test_request_dense_and_its_counts():
    Xs = sp.csr_matrix(X)
    request = TrainingRequest(_net(), [Xs, y], 8, 3, val_arrays=[Xs[:5], y[:5]])
    assert request.sparse and request.validating and not request.weighted
    assert request.n_samples == 40
    dense = request.dense()
    assert not dense.sparse
    np.testing.assert_array_equal(dense.arrays[0], X)
    np.testing.assert_array_equal(dense.val_arrays[0], X[:5])
    assert request.dense() is not request and dense.dense() is dense


class _Recording(Engine):
    def __init__(self):
        self.requests = []

    def train(self, request):
        self.requests.append(request)
        return super().train(request)


def test_a_fit_hands_its_request_to_the_engine_put_on_it():
    est = MLPClassifier(hidden_layer_sizes=(4,), epochs=3, batch_size=16)
    est.set_params(random_state=0, n_iter_no_change=np.inf)
    engine = _Recording()
    est._engine = engine
    est.fit(X, y, sample_weight=np.ones(40))
    (request,) = engine.requests
    assert isinstance(request, TrainingRequest)
    assert (request.batch_size, request.epochs, request.initial_epoch) == (16, 3, 0)
    assert request.weighted and request.model is est.model_
    assert request.seed == est._seed_
    assert est.n_iter_ == 3
    # without one, the process's engine, which holds no state
    other = clone(est)
    assert "_engine" not in other.__dict__ and other._training_engine() is ENGINE


def test_prefitted_travels_by_clone_and_is_taken_by_fit():
    est = MLPClassifier(hidden_layer_sizes=(4,), epochs=2, random_state=0)
    twin = clone(est).fit(X, y)
    from sklkeras._estimator import params_key

    prefitted = Prefitted({params_key(est, X, y, None): [twin]})
    carrier = clone(est)
    carrier._prefitted = prefitted
    copy = clone(carrier)
    assert copy._prefitted is prefitted  # scikit-learn's clones carry it
    copy.fit(X, y)  # adopts: no training
    assert copy.model_ is twin.model_
    assert "_prefitted" not in copy.__dict__
    assert "_prefitted" not in clone(copy).__dict__
    again = clone(carrier).fit(X, y)  # the twin was taken: this one trains
    assert again.model_ is not twin.model_


def test_train_together_hands_each_group_its_key(monkeypatch):
    # The grouping computes each request's key once and passes it on: the
    # fusing trainer does not compute it again.
    fusing = FUSING[keras.backend.backend()]
    calls, received = [], []
    monkeypatch.setattr(fusing, "_key", lambda m, r: calls.append(1) or "one-key")
    monkeypatch.setattr(
        fusing, "_train", lambda reqs, key: received.append(key) or [None] * len(reqs)
    )
    requests = []
    for seed in (0, 1):
        keras.utils.set_random_seed(seed)
        requests.append(TrainingRequest(_net(), [X, y.astype("float32")], 8, 1))
    assert train_together(requests) == [None, None]
    assert len(calls) == 2 and received and received[0] is not None
