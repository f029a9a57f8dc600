"""The package version, in one place (the CLI, converted models and the wheel read it)."""

__version__ = "0.1.0"
