"""scikeras's parameter model for the wrappers: keywords, routed names, ``meta``.

As in scikeras 0.13, every keyword the estimator does not define is kept as an
attribute and is a parameter (``get_params``, ``set_params``, ``clone``, searches):
plain names (``units=8``) go to the model function by name, routed names go where
their prefix says (``model__units``, ``optimizer__learning_rate``, ``fit__epochs``,
...). The model function is called as scikeras calls it (``meta``,
``compile_kwargs``, ``params`` when it asks for them, its own keywords by name), and
also with any fitted value or estimator parameter its signature names, as sklkeras's
wrappers always did.
"""

from __future__ import annotations

import inspect

import keras

from ._imports import (
    accepts_kwargs,
    route_params,
)

# Prefixes of routed parameters (scikeras's, plus callbacks and partial_fit).
ROUTING_PREFIXES = (
    "model",
    "fit",
    "compile",
    "predict",
    "partial_fit",
    "optimizer",
    "loss",
    "metrics",
    "callbacks",
)
# What scikeras hands a model function when it asks for it.
SCIKERAS_ARGUMENTS = ("meta", "compile_kwargs", "params")
# Fitted values sklkeras's wrappers always passed by name.
LEGACY_META = (
    "n_features_in_",
    "n_classes_",
    "n_outputs_",
    "input_shape_",
    "classes_",
    "target_type_",
)


class UnexpectedKeywordError(TypeError, ValueError):
    """A keyword the model function does not take: Python's ``TypeError`` as in
    scikeras, and a ``ValueError`` as sklkeras raised it before."""


def is_routed(name: str) -> bool:
    return any(name.startswith(prefix + "__") for prefix in ROUTING_PREFIXES)


class ParamsMixin:
    """scikeras's keyword handling: extra and routed keywords are parameters."""

    def _init_model_params(self, model_params: dict) -> None:
        for name, value in model_params.items():
            setattr(self, name, value)
        self._model_param_names = tuple(sorted(model_params))

    def _model_params(self) -> dict:
        """The keywords given beyond the signature (plain and routed), and the
        routed names a subclass's ``__init__`` assigned."""
        params = {
            name: getattr(self, name)
            for name in getattr(self, "_model_param_names", ())
            if hasattr(self, name)
        }
        params.update({k: v for k, v in vars(self).items() if is_routed(k)})
        return params

    @classmethod
    def _get_param_names(cls):
        # As scikeras: a routed name in a subclass's signature is a parameter
        # only once assigned (it is read from the instance, _model_params).
        return [name for name in super()._get_param_names() if not is_routed(name)]

    def _model_function(self):
        model = getattr(self, "model", None)
        if model is None:
            model = getattr(self, "build_fn", None)
        if model is None:
            model = getattr(self, "_keras_build_fn", None)
        return model

    def _builder_defaults(self) -> dict:
        """Keyword parameters (with defaults) of the model function, metadata aside."""
        model = self._model_function()
        if model is None or isinstance(model, keras.Model) or not callable(model):
            return {}
        try:
            signature = inspect.signature(model)
        except (TypeError, ValueError):
            return {}
        own = set(self._get_param_names())  # never hidden by the function's names
        kinds = (
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.KEYWORD_ONLY,
        )
        return {
            name: p.default
            for name, p in signature.parameters.items()
            if name not in LEGACY_META
            and name not in SCIKERAS_ARGUMENTS
            and name not in own
            and p.kind in kinds
            and p.default is not p.empty
        }

    def get_params(self, deep=True):
        """Parameters, including the model function's and the routed ones.

        Keywords given to the estimator (plain or routed, as ``model__units``) and
        the keyword parameters of the model function (at their defaults until set)
        are all searchable.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of sub-objects that have ``get_params``.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._builder_defaults())
        params.update(self._model_params())
        return params

    def set_params(self, **params):
        """Set parameters: the estimator's, routed ones and the model function's.

        Parameters
        ----------
        **params : dict
            Estimator parameters, routed parameters (``model__units``,
            ``optimizer__learning_rate``, ...) and model-function keywords.

        Returns
        -------
        self : estimator
            This estimator.
        """
        own = set(getattr(self, "_model_param_names", ())) | set(
            self._builder_defaults()
        )
        for name in ("model", "build_fn"):  # the new function decides its names
            if name in params:
                setattr(self, name, params.pop(name))
                own |= set(self._builder_defaults())
        extra = {
            name: params.pop(name)
            for name in list(params)
            if name in own or is_routed(name)
        }
        for name, value in extra.items():
            setattr(self, name, value)
        self._model_param_names = tuple(
            sorted(set(getattr(self, "_model_param_names", ())) | set(extra))
        )
        valid = set(super().get_params(deep=True))
        for name in params:
            if name.split("__")[0] not in valid:  # scikeras's message
                cls = type(self).__name__
                raise ValueError(
                    f"Invalid parameter {name} for estimator {cls}.\nThis issue "
                    "can likely be resolved by setting this parameter in the "
                    f"{cls} constructor:\n`{cls}({name}={params[name]!r})`\nCheck "
                    "the list of available parameters with "
                    "`estimator.get_params().keys()`"
                )
        return super().set_params(**params)

    def _routed(self, destination: str, strict: bool = True) -> dict:
        # Routed names a subclass's __init__ assigned count too (_model_params).
        params = self._model_params()
        return route_params(params, destination, pass_filter=set(), strict=strict)

    # ----------------------------------------------------------------- meta
    def _meta(self) -> dict:
        """scikeras's ``meta``: the fitted attributes (``input_shape_``, sklkeras's
        own, is passed only to a function that names it)."""
        meta = {
            k: v
            for k, v in vars(self).items()
            if len(k) > 1
            and k[-1] == "_"
            and k[-2] != "_"
            and k[0] != "_"
            and k not in ("model_", "history_", "input_shape_")
        }
        return meta

    def _named_meta(self) -> dict:
        """Fitted values a model function may take by name (sklkeras's wrappers)."""
        meta = {**self._meta(), **self._legacy_meta()}
        return meta

    def _legacy_meta(self) -> dict:
        return {n: getattr(self, n) for n in LEGACY_META if hasattr(self, n)}

    # -------------------------------------------------------------- building
    def _call_model_function(self, function, compile_kwargs) -> keras.Model:
        """Call the model function as scikeras does, with sklkeras's by-name extras."""
        signature = inspect.signature(function)
        takes_all = accepts_kwargs(function)
        own = self._get_param_names()
        given = {k: v for k, v in self._model_params().items() if not is_routed(k)}
        given.update(self._routed("model"))
        unknown = sorted(set(given) - set(signature.parameters))
        if unknown and not takes_all:
            name = getattr(function, "__name__", repr(function))
            raise UnexpectedKeywordError(
                f"{type(self).__name__} got keyword(s) {unknown} that the model "
                f"function {name!r} does not take ({name}() got an unexpected "
                f"keyword argument {unknown[0]!r}); its parameters are "
                f"{list(signature.parameters)}."
            )
        scikeras_args = {
            "meta": self._meta,
            "compile_kwargs": lambda: compile_kwargs,
            "params": lambda: self.get_params(),
        }
        named = self._named_meta()
        kwargs = {}
        for name, param in signature.parameters.items():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            if name in given:
                kwargs[name] = given[name]
            elif name in scikeras_args:
                kwargs[name] = scikeras_args[name]()
            elif name in named:
                kwargs[name] = named[name]
            elif name in own:  # an estimator parameter, by name (classic wrapper)
                kwargs[name] = getattr(self, name)
            elif param.default is inspect.Parameter.empty:
                raise ValueError(
                    f"The model function asks for {name!r}, which is neither fitted "
                    f"metadata ({', '.join(sorted(self._named_meta()))}) nor a "
                    f"parameter given to {type(self).__name__}."
                )
        if takes_all:
            for name, value in given.items():
                kwargs.setdefault(name, value)
            for name, make in scikeras_args.items():  # scikeras's order
                if name not in kwargs:
                    kwargs[name] = make()
        built = function(**kwargs)
        if not isinstance(built, keras.Model):
            raise TypeError(
                f"The model function must return a keras.Model; got "
                f"{type(built).__name__}."
            )
        return built

    def _custom_objects(self) -> dict:
        objs = super()._custom_objects()
        for value in self._model_params().values():
            if callable(value) and hasattr(value, "__name__"):
                objs[value.__name__] = value
        return objs


__all__ = [
    "LEGACY_META",
    "ParamsMixin",
    "ROUTING_PREFIXES",
    "UnexpectedKeywordError",
    "is_routed",
]
