"""One small exception hierarchy; the CLI maps every ProvcheckError to exit code 2."""

from __future__ import annotations

__all__ = ["ConfigError", "InputError", "ProvcheckError", "StoreError"]


class ProvcheckError(Exception):
    """Base class: the message is one line, meant to be shown to the user."""


class InputError(ProvcheckError):
    """A file or record could not be read or decoded."""


class StoreError(ProvcheckError):
    """The index database is missing, corrupt, foreign or locked."""


class ConfigError(ProvcheckError):
    """Settings are invalid or do not match a stored index."""
