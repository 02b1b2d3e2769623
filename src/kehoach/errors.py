"""Errors the library raises; the CLI turns each into a one-line message and exit 1."""


class KehoachError(Exception):
    """Base of every error kehoach raises on purpose. ``str(err)`` is a one-line message."""


class ReadError(KehoachError):
    """The input could not be read: missing, empty, not text, truncated or corrupt."""


class UnsupportedFormat(KehoachError):
    """The input is of a format kehoach does not read."""


class MissingDependency(KehoachError):
    """An external program (LibreOffice, tesseract) that this input needs is not installed."""


class StrictError(KehoachError):
    """A warning was raised while ``strict`` was requested."""
