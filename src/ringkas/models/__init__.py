"""The models: finding, converting and running the translator and the summarizer.

Inside, in the order data flows: ``registry`` names the defaults and their pinned revisions;
``hub`` turns a model name into a local folder (a folder given, or a Hub download, safetensors
only; ``custom_code`` refuses folders that ask to run code); ``store`` keeps CTranslate2
conversions in the cache (``convert`` makes them, ``converted`` is their folder format);
``loading`` opens a model with the chosen engine (``ct2_engine``/``ct2_causal``: CTranslate2;
``torch_engine``/``torch_causal``: transformers; ``tokenize``: CTranslate2's tokenizers),
each offering the ``engine`` interface; ``translator`` and ``summarizer`` turn an engine
into sentence translation in batches and summaries of any length, ``chat`` and ``styled``
into summaries in a style from an instruction model. A new engine is a module offering
``engine.Seq2SeqEngine``, opened by ``loading``.
"""
