"""Convolutional networks for images: CNNClassifier."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, validate_data

from ._cnn import (
    SCALE_RATIO,
    as_tuple,
    check_augmentation,
    refuse_likely_channels_first,
    resolve_image_shape,
    value_scale,
)
from ._estimator import BaseKerasClassifier, build_cnn, per_layer
from ._utils import FLOATX, fill_doc


@fill_doc
class CNNClassifier(BaseKerasClassifier):
    """Convolutional neural network classifier for images, trained with Keras.

    Images come as ``(n, height, width, channels)``, ``(n, height, width)`` (one
    channel), or flat rows ``(n, height * width * channels)`` together with
    ``image_shape``, so the estimator can follow scikit-learn transformers in a
    Pipeline; channels-first images ``(n, channels, height, width)`` with
    ``data_format="channels_first"``. Integer pixels are taken as 0-255 and rescaled to [0, 1] inside the
    network.

    The network is ``len(filters)`` convolution blocks, each ``convs_per_block``
    convolutions (``padding="same"``) followed by pooling and dropout, then Flatten
    (or global pooling) and a dense head. The book's models in parameters:

    - simple MNIST CNN: ``filters=(32,), kernel_size=5, block_dropout=0.2,
      dense_units=(128,)``;
    - larger MNIST CNN: ``filters=(30, 15), kernel_size=(5, 3),
      block_dropout=(0, 0.2), dense_units=(128, 50)``;
    - CIFAR-10 CNN: ``filters=(32,), convs_per_block=2, block_dropout=0.2,
      dense_units=(512,), dropout=0.5,
      optimizer=keras.optimizers.SGD(0.01, momentum=0.9)``;
    - six-conv face CNN: ``filters=(32, 64, 128), convs_per_block=2,
      block_dropout=0.2, dense_units=(1024,), dropout=0.5``.

    Parameters
    ----------
    filters : int or array-like of int, default=(32, 64)
        Number of convolution filters in each block.
    kernel_size : int or array-like of int, default=3
        Square kernel size: one for all blocks, or one per block.
    convs_per_block : int, default=1
        Convolutions in each block before the pooling.
    pool_size : int, default=2
        Pooling window and stride. Pooling is skipped where the feature map is
        already smaller than the window.
    pooling : {{"max", "avg"}} or None, default="max"
        Pooling after each block (None: none).
    block_dropout : float or array-like of float, default=0.0
        Dropout rate after each block (one value, or one per block).
    batch_normalization : bool, default=False
        Batch normalization after every convolution.
    global_pooling : {{"avg", "max"}} or None, default=None
        Global pooling instead of Flatten before the dense head.
    dense_units : array-like of int, default=(128,)
        Units of the dense layers after the convolutions.
    dropout : float, default=0.0
        Dropout rate after each dense layer.
    activation : str or callable, default="relu"
        Activation of convolutions and dense layers.
    alpha : float, default=0.0
        L2 penalty on the kernels of the convolutions and of the hidden dense
        layers (not the output layer), on scikit-learn's scale (as in
        MLPClassifier).
    kernel_initializer : str or keras.initializers.Initializer, default="glorot_uniform"
        Weight initializer.
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of flat input rows
        (``(channels, height, width)`` with ``data_format="channels_first"``); one
        entry may be -1 (inferred). Needed for 2-D input, ignored otherwise.
    data_format : {{"channels_last", "channels_first"}} or None, default=None
        Where the channel axis of 4-D images is, as in Keras's layers:
        ``(n, height, width, channels)`` or ``(n, channels, height, width)`` (the
        layout of PyTorch and of many image files). Channels-first images are
        moved to channels-last for the network. None takes Keras's
        ``image_data_format()`` ("channels_last" unless configured) and refuses
        images that look channels-first, such as ``(n, 1, 28, 28)``: pass the
        format explicitly to read them either way.
    augmentation : dict or None, default=None
        Random transformations applied on the fly during training only (Keras
        preprocessing layers), e.g. ``{{"rotation": 0.05, "translation": 0.1,
        "zoom": 0.1, "flip": "horizontal", "contrast": 0.2}}``. Rotation is a
        fraction of a full turn; translation and zoom fractions of the size; each
        of these and contrast is a number in [0, 1] or a ``(low, high)`` pair.
        ``flip`` is "horizontal", "vertical" or "horizontal_and_vertical". Other
        keys or values are refused with the allowed ones named.
    standardize : bool, default=False
        Standardize each channel with the mean and variance of the training images
        (a Normalization layer inside the network; the book's feature-wise
        standardization).
    {training_params}

        For CNNClassifier the default ``batch_size`` is 32 (Keras's), not "auto".
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into ``sample_weight`` (a copy).
    {common_params}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    input_shape_ : tuple of int
        ``(height, width, channels)`` of the images seen at fit (channels last,
        as the network takes them, whatever ``data_format``).
    {fitted_attributes}

    Examples
    --------
    >>> from sklkeras import CNNClassifier
    >>> from sklkeras.datasets import load_digits_images
    >>> X, y = load_digits_images(return_X_y=True)
    >>> clf = CNNClassifier(filters=(16,), dense_units=(32,), epochs=5,
    ...                     random_state=0).fit(X[:500], y[:500])
    >>> clf.predict_proba(X[:2]).shape
    (2, 10)
    """

    _parameter_constraints: dict = {
        **BaseKerasClassifier._parameter_constraints,
        "filters": ["array-like", Interval(Integral, 1, None, closed="left")],
        "kernel_size": ["array-like", Interval(Integral, 1, None, closed="left")],
        "convs_per_block": [Interval(Integral, 1, None, closed="left")],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
        "pooling": [StrOptions({"max", "avg"}), None],
        "block_dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
        "batch_normalization": ["boolean"],
        "global_pooling": [StrOptions({"avg", "max"}), None],
        "dense_units": ["array-like"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "activation": [str, callable],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "kernel_initializer": [str, keras.initializers.Initializer],
        "image_shape": ["array-like", None],
        "data_format": [StrOptions({"channels_last", "channels_first"}), None],
        "augmentation": [dict, None],
        "standardize": ["boolean"],
    }

    def __init__(
        self,
        filters=(32, 64),
        kernel_size=3,
        *,
        convs_per_block=1,
        pool_size=2,
        pooling="max",
        block_dropout=0.0,
        batch_normalization=False,
        global_pooling=None,
        dense_units=(128,),
        dropout=0.0,
        activation="relu",
        alpha=0.0,
        kernel_initializer="glorot_uniform",
        image_shape=None,
        data_format=None,
        augmentation=None,
        standardize=False,
        optimizer="adam",
        learning_rate_init=None,
        learning_rate_schedule=None,
        batch_size=32,
        epochs=20,
        loss=None,
        metrics=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        class_weight=None,
        callbacks=None,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
        random_state=None,
        warm_start=False,
        verbose=0,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.convs_per_block = convs_per_block
        self.pool_size = pool_size
        self.pooling = pooling
        self.block_dropout = block_dropout
        self.batch_normalization = batch_normalization
        self.global_pooling = global_pooling
        self.dense_units = dense_units
        self.dropout = dropout
        self.activation = activation
        self.alpha = alpha
        self.kernel_initializer = kernel_initializer
        self.image_shape = image_shape
        self.data_format = data_format
        self.augmentation = augmentation
        self.standardize = standardize
        self.optimizer = optimizer
        self.learning_rate_init = learning_rate_init
        self.learning_rate_schedule = learning_rate_schedule
        self.batch_size = batch_size
        self.epochs = epochs
        self.loss = loss
        self.metrics = metrics
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.class_weight = class_weight
        self.callbacks = callbacks
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    # ----------------------------------------------------------------- input
    def _check_X(self, X, *, reset: bool):
        ndim = getattr(X, "ndim", None) or np.asarray(X, dtype=object).ndim
        if ndim == 2:
            X = validate_data(
                self, X, reset=reset, dtype="numeric", ensure_all_finite=True
            )
            if self.image_shape is None:
                raise ValueError(
                    f"{type(self).__name__} got 2-D X of shape {X.shape}: flat rows "
                    "need image_shape=(height, width[, channels]), or pass images "
                    "as a (n, height, width[, channels]) array."
                )
            shape = resolve_image_shape(self.image_shape, X.shape[1])
            X = X.reshape((X.shape[0], *shape))
            if self._channels_first() and len(self.image_shape) == 3:
                X = np.ascontiguousarray(np.moveaxis(X, 1, -1))
        elif ndim in (3, 4):
            X = check_array(X, allow_nd=True, dtype="numeric", ensure_all_finite=True)
            if X.ndim == 3:
                X = X[..., np.newaxis]
            elif self._channels_first():
                X = np.ascontiguousarray(np.moveaxis(X, 1, -1))
            elif reset and self.data_format is None:
                refuse_likely_channels_first(X.shape)
            if reset:
                self.n_features_in_ = int(np.prod(X.shape[1:]))
                if hasattr(self, "feature_names_in_"):
                    del self.feature_names_in_
        else:
            raise ValueError(
                f"{type(self).__name__} expects images shaped (n, height, width), "
                "(n, height, width, channels) or flat rows with image_shape; got an "
                f"array with {ndim} dimension(s). Reshape your data, e.g. with "
                "X.reshape(1, -1) for a single flat row."
            )
        if reset:
            self.input_shape_ = tuple(int(s) for s in X.shape[1:])
            self._pixel_scale_ = (
                1.0 / 255.0 if np.issubdtype(X.dtype, np.integer) else None
            )
        elif tuple(X.shape[1:]) != self.input_shape_:
            raise ValueError(
                f"X holds images of shape {tuple(X.shape[1:])}, but "
                f"{type(self).__name__} was fitted on images of shape "
                f"{self.input_shape_}."
            )
        scale = value_scale(X)
        if reset:
            self._value_scale_ = scale
        else:
            self._check_value_scale(scale, X.dtype)
        if (
            np.issubdtype(X.dtype, np.integer)
            and X.size
            and 0 <= X.min()
            and X.max() <= 255
        ):
            # Keep 8-bit pixels as they are: the network casts and rescales them,
            # so the training data is held in a quarter of the float32 memory.
            X = X.astype(np.uint8, copy=False)
        else:
            X = X.astype(FLOATX, copy=False)
        if reset:
            self._normalization_ = None
            if self.standardize:
                scaled = X * self._pixel_scale_ if self._pixel_scale_ else X
                scaled = scaled.astype(FLOATX, copy=False)
                axes = (0, 1, 2)
                self._normalization_ = (
                    scaled.mean(axis=axes),
                    np.maximum(scaled.var(axis=axes), 1e-12),
                )
            self._n_train_samples_ = X.shape[0]
        return X

    def _check_value_scale(self, scale: float, dtype) -> None:
        """Warn when the pixels at predict are on another scale than at fit.

        The classic slip: fit on 8-bit pixels (rescaled inside the network), then
        predict on ``pixels / 255``; every image then looks black to the network.
        """
        fitted = getattr(self, "_value_scale_", None)
        if not fitted or not scale or 1 / SCALE_RATIO < scale / fitted < SCALE_RATIO:
            return
        how = (
            "8-bit pixels, rescaled inside the network"
            if self._pixel_scale_
            else "values as given"
        )
        warnings.warn(
            f"X holds values up to {scale:.4g} in absolute value ({dtype}), but the "
            f"images seen at fit went up to {fitted:.4g} ({how}): predictions on "
            "another pixel scale are meaningless. Scale X as at fit (e.g. pass "
            "uint8 pixels, or divide by 255 in both places).",
            UserWarning,
            stacklevel=4,
        )

    def _channels_first(self) -> bool:
        data_format = self.data_format or keras.config.image_data_format()
        return data_format == "channels_first"

    # --------------------------------------------------------------- network
    def _build_network(self, input_shape, n_outputs, output_activation, seed):
        filters = as_tuple(self.filters, "filters")
        n_blocks = len(filters)
        kernel_size = per_layer(self.kernel_size, n_blocks, "kernel_size", "blocks")
        block_dropout = per_layer(
            self.block_dropout, n_blocks, "block_dropout", "blocks"
        )
        if any(not 0 <= r < 1 for r in block_dropout):
            raise ValueError(
                f"block_dropout rates must be in [0, 1); got {self.block_dropout!r}."
            )
        augmentation = check_augmentation(self.augmentation)
        batch_size = self._resolve_batch_size(self._n_train_samples_)
        return build_cnn(
            input_shape,
            n_outputs,
            filters=filters,
            kernel_size=kernel_size,
            convs_per_block=self.convs_per_block,
            pool_size=self.pool_size,
            pooling=self.pooling,
            block_dropout=block_dropout,
            batch_normalization=self.batch_normalization,
            global_pooling=self.global_pooling,
            dense_units=as_tuple(self.dense_units, "dense_units", allow_empty=True),
            dropout=self.dropout,
            activation=self.activation,
            output_activation=output_activation,
            alpha=self.alpha / (2.0 * batch_size),
            kernel_initializer=self.kernel_initializer,
            rescale=self._pixel_scale_,
            normalization=self._normalization_,
            augmentation=augmentation,
            seed=seed,
        )
