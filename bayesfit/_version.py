"""The package version, read once from the installed metadata (written in pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bayesfit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree not installed
    __version__ = "0+unknown"
