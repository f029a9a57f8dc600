"""Model loading, inference engines, and the translator and summarizer built on them."""
