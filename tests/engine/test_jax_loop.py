"""The jitted epoch loop of the JAX backend (``_jax_loop.py``) against Model.fit.

The backend is fixed when Keras is imported, so the fits run in a subprocess with
KERAS_BACKEND=jax (``jax_loop_job.py``).
"""

import importlib.util

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("jax") is None, reason="needs jax"
)
# result runs beside the suite from its start (conftest.py).
JOBS = (
    {"result": ("engine/jax_loop_job.py", "jax")}
    if importlib.util.find_spec("jax")
    else {}
)


@pytest.fixture(scope="module")
def result(run_job):
    return run_job("engine/jax_loop_job.py", "jax")


def test_runs_on_jax(result):
    assert result["backend"] == "jax"


def test_fit_and_predict_leave_tensorflow_unimported(result):
    # Keras's config serializer (the structure key of the shared forward pass)
    # would import TensorFlow, about 2.4 s, just to test objects against its types.
    assert result["tensorflow_imported"] is False


@pytest.mark.parametrize("case", ["classifier", "weighted", "dropout", "invscaling"])
def test_loop_matches_model_fit(result, case):
    # Same batches (shuffle=False, a short last batch), same steps: the weights and
    # the loss curve agree with Keras's Model.fit to float32 rounding.
    assert result[f"{case}_gap"] < 1e-5
    loop_iter, ref_iter = result[f"{case}_n_iter"]
    assert loop_iter == ref_iter > 0


def test_seeded_shuffles(result):
    assert result["same_seed_gap"] == 0.0
    assert result["other_seed_gap"] > 1e-3
    assert result["accuracy"] > 0.7


def test_stopping_rule_and_warm_start(result):
    loop_iter, ref_iter = result["stopped_n_iter"]
    assert loop_iter == ref_iter < 50
    assert result["warm_curve"] == 6


def test_validation_falls_back_to_model_fit(result):
    assert result["early_scores"] == 5


def test_which_models_qualify(result):
    assert result["qualifies"] is True
    assert result["with_validation"] is False
    assert result["without_jit"] is False


def test_prediction_paths(result):
    # The jitted lax.map over 64-row chunks gives the bits of chunk-by-chunk calls,
    # for any subset of rows; the NumPy pass for few rows agrees to float32
    # round-off, row by row the same bits, and sees new weights.
    assert result["loop_vs_chunks"] == 0.0
    assert result["loop_vs_predict"] < 1e-6
    assert result["loop_subset"] is True
    assert result["numpy_vs_loop"] < 1e-6
    assert result["numpy_rows"] is True
    assert result["new_weights_seen"] > 1e-4
    assert result["old_weights_back"] is True


def test_persistent_compilation_cache_is_reused_by_a_new_process(result):
    # SKLKERAS_JAX_CACHE_DIR: the first process writes its compiled programs,
    # a second process running the same fit finds them all and writes none.
    written, after_second = result["cache_files"]
    assert written > 0
    assert after_second == written
