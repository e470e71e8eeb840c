"""The analyser: language, intent, sentiment, entities and signals of customer messages.

This package is what runs for every message. Training, evaluation and the data sets live apart,
in ``bot.training``, which imports this package and is never imported by it.
"""
