"""Dataset loaders: small files shipped with the package, larger ones downloaded."""

from ._tabular import load_bank_marketing, load_boston, load_pima_diabetes

__all__ = ["load_bank_marketing", "load_boston", "load_pima_diabetes"]
