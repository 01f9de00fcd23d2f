"""ONNX export of fitted estimators and of whole pipelines ending in one."""

from ._export import (
    register_converters,
    to_onnx,
)

__all__ = [
    "register_converters",
    "to_onnx",
]
