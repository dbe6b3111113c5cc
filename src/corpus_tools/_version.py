"""The package version: one place, read by ``__init__``, the store manifest and saved models."""
__version__ = "0.1.0"
