"""CNNClassifier: image shapes, rescaling, augmentation, the book's models, errors."""

import numpy as np
import pytest

from sklkeras import CNNClassifier
from sklkeras.datasets import load_digits_images

FAST = dict(filters=(8,), dense_units=(16,), epochs=3, random_state=0)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits_images(return_X_y=True)
    return X[:300], y[:300]


@pytest.fixture(scope="module")
def digits_clf(digits):
    X, y = digits
    return CNNClassifier(**{**FAST, "epochs": 20, "learning_rate_init": 0.003}).fit(
        X, y
    )


def test_learns_digits(digits, digits_clf):
    X, y = digits
    assert digits_clf.score(X, y) > 0.9
    assert digits_clf.input_shape_ == (8, 8, 1)
    assert digits_clf.n_features_in_ == 64
    assert digits_clf.predict_proba(X[:1]).shape == (1, 10)


def test_image_layouts_agree(digits):
    X, y = digits
    p4 = CNNClassifier(**FAST).fit(X, y).predict_proba(X)
    p3 = CNNClassifier(**FAST).fit(X[..., 0], y).predict_proba(X[..., 0])
    flat = X.reshape(len(X), -1)
    pf = CNNClassifier(**FAST, image_shape=(8, -1)).fit(flat, y).predict_proba(flat)
    np.testing.assert_allclose(p3, p4, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(pf, p4, rtol=1e-5, atol=1e-6)


def test_integer_pixels_are_rescaled(digits):
    X, y = digits
    X8 = np.rint(X * 255).astype(np.uint8)
    clf = CNNClassifier(**FAST).fit(X8, y)
    assert any(layer.name == "rescale" for layer in clf.model_.layers)
    float_clf = CNNClassifier(**FAST).fit(X8 / 255.0, y)
    np.testing.assert_allclose(
        clf.predict_proba(X8), float_clf.predict_proba(X8 / 255.0), atol=1e-4
    )


def test_augmentation_only_in_training(digits):
    X, y = digits
    clf = CNNClassifier(
        **FAST,
        augmentation={
            "rotation": 0.1,
            "translation": 0.2,
            "zoom": 0.1,
            "contrast": 0.2,
        },
    ).fit(X, y)
    names = {layer.name for layer in clf.model_.layers}
    assert {"aug_rotation", "aug_translation", "aug_zoom", "aug_contrast"} <= names
    # Prediction is deterministic: augmentation layers are off at inference...
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))
    # ... and on in training mode, where the same input gives other outputs.
    a = np.asarray(clf.model_(X[:20], training=True))
    b = np.asarray(clf.model_(X[:20], training=True))
    assert not np.allclose(a, b)
    # and inference equals the network without the augmentation layers
    no_aug = np.asarray(clf.model_(X[:20], training=False))
    np.testing.assert_allclose(no_aug, clf.predict_proba(X[:20]), rtol=1e-5)


def test_standardize_learns_channel_stats(digits):
    X, y = digits
    clf = CNNClassifier(**FAST, standardize=True).fit(X, y)
    layer = clf.model_.get_layer("standardize")
    np.testing.assert_allclose(np.ravel(layer.mean), [X.mean()], rtol=1e-4)


@pytest.mark.parametrize(
    "params",
    [
        # simple MNIST CNN
        dict(filters=(32,), kernel_size=5, block_dropout=0.2, dense_units=(128,)),
        # larger MNIST CNN
        dict(
            filters=(30, 15),
            kernel_size=(5, 3),
            block_dropout=(0, 0.2),
            dense_units=(128, 50),
        ),
        # CIFAR-10 style with global average pooling and batch norm
        dict(
            filters=(32, 64),
            convs_per_block=2,
            batch_normalization=True,
            global_pooling="avg",
            dense_units=(64,),
            dropout=0.5,
        ),
        # six-conv face CNN
        dict(
            filters=(32, 64, 128),
            convs_per_block=2,
            block_dropout=0.2,
            dense_units=(64,),
            dropout=0.5,
        ),
    ],
    ids=["mnist-simple", "mnist-larger", "cifar-gap", "face-six-conv"],
)
def test_book_architectures(digits, params):
    X, y = digits
    clf = CNNClassifier(**params, epochs=1, random_state=0).fit(X[:64], y[:64])
    convs = [layer for layer in clf.model_.layers if layer.name.startswith("conv_")]
    per_block = params.get("convs_per_block", 1)
    assert len(convs) == len(params["filters"]) * per_block
    assert clf.predict(X[:3]).shape == (3,)


def test_pickle_roundtrip(digits, digits_clf):
    import pickle

    X, _ = digits
    again = pickle.loads(pickle.dumps(digits_clf))
    np.testing.assert_array_equal(again.predict_proba(X), digits_clf.predict_proba(X))


def test_wrong_image_shape_at_predict(digits_clf):
    with pytest.raises(ValueError, match=r"shape \(7, 7, 1\).*\(8, 8, 1\)"):
        digits_clf.predict(np.zeros((2, 7, 7, 1)))


@pytest.mark.parametrize(
    "params, X_shape, match",
    [
        ({}, (10, 64), "image_shape"),
        ({"image_shape": (7, 7)}, (10, 64), "49 values"),
        ({"image_shape": (5, -1)}, (10, 64), "cannot be reshaped"),
        ({}, (10,), "dimension"),
        ({"augmentation": {"spin": 1}}, (10, 8, 8), "spin"),
        ({"kernel_size": (3, 3)}, (10, 8, 8), "kernel_size"),
        ({"pooling": "mean"}, (10, 8, 8), "pooling"),
    ],
)
def test_bad_input(params, X_shape, match):
    X = np.zeros(X_shape)
    y = np.arange(10) % 2
    with pytest.raises(ValueError, match=match):
        CNNClassifier(**{**FAST, **params}).fit(X, y)


@pytest.mark.parametrize(
    "augmentation, match",
    [
        ({"flip": True}, r"augmentation\['flip'\] must be one of \['horizontal'"),
        ({"flip": "sideways"}, "'horizontal_and_vertical'"),
        ({"rotation": True}, r"augmentation\['rotation'\] must be a number in"),
        ({"rotation": 2.0}, "fraction of a full turn"),
        ({"zoom": -0.1}, r"augmentation\['zoom'\]"),
        ({"translation": (0.2, 0.1)}, "low <= high"),
        ({"contrast": "high"}, r"augmentation\['contrast'\]"),
    ],
)
def test_augmentation_values_are_checked(digits, augmentation, match):
    """Issue 16 item 4: {"flip": True} built RandomFlip(mode=True) silently."""
    X, y = digits
    with pytest.raises(ValueError, match=match):
        CNNClassifier(**{**FAST, "augmentation": augmentation}).fit(X[:20], y[:20])


def test_augmentation_pairs_and_flip_modes_build(digits):
    X, y = digits
    clf = CNNClassifier(
        **{**FAST, "epochs": 1},
        augmentation={"rotation": (-0.1, 0.05), "flip": "horizontal", "zoom": 0.1},
    ).fit(X[:32], y[:32])
    assert clf.model_.get_layer("aug_flip").mode == "horizontal"


def test_channels_first_images(digits):
    """Issue 16 item 2: (n, 1, 8, 8) was read as 1x8 images with 8 channels."""
    X, y = digits
    first = np.moveaxis(X, -1, 1)  # (n, 1, 8, 8), as PyTorch holds images
    with pytest.raises(ValueError, match="looks like channels-first.*data_format"):
        CNNClassifier(**FAST).fit(first, y)
    p_last = CNNClassifier(**FAST).fit(X, y).predict_proba(X)
    clf = CNNClassifier(**FAST, data_format="channels_first").fit(first, y)
    assert clf.input_shape_ == (8, 8, 1)
    np.testing.assert_allclose(clf.predict_proba(first), p_last, rtol=1e-5, atol=1e-6)
    flat = first.reshape(len(first), -1)
    flat_clf = CNNClassifier(
        **FAST, data_format="channels_first", image_shape=(1, 8, 8)
    ).fit(flat, y)
    np.testing.assert_allclose(flat_clf.predict_proba(flat), p_last, atol=1e-6)
    # An explicit channels_last reads the same array as 1x8 images, 8 channels.
    odd = CNNClassifier(**{**FAST, "epochs": 1}, data_format="channels_last")
    assert odd.fit(first[:20], y[:20]).input_shape_ == (1, 8, 8)


def test_pixel_scale_at_predict_warns(digits):
    """Issue 16 item 3: fit on uint8, predict on /255 floats: silent 0.33 accuracy."""
    import warnings

    X, y = digits
    X8 = np.rint(X * 255).astype(np.uint8)
    clf = CNNClassifier(**{**FAST, "epochs": 1}).fit(X8, y)
    with pytest.warns(UserWarning, match=r"up to 1 .*went up to 255.*pixel scale"):
        clf.predict(X8 / 255.0)
    floats = CNNClassifier(**{**FAST, "epochs": 1}).fit(X, y)
    with pytest.warns(UserWarning, match="pixel scale"):
        floats.predict(X8)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        clf.predict(X8[:5])
        clf.predict(X8.astype(np.float64))  # 0-255 floats: rescaled as uint8
        clf.predict(np.zeros_like(X8[:1]))  # a black image is no scale
        floats.predict(X[:1])
