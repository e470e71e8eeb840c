"""The analyser: language, intent, sentiment, entities and signals of customer messages."""

from bot.nlp.french import import_french_quickly

# Before anything in this package can build a French pipeline (bot/nlp/french.py says why).
import_french_quickly()
