"""ringkas: English summaries of Indonesian news articles."""

__version__ = "0.1.0"
