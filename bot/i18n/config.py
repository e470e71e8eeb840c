"""Configuration errors: replique.yml, catalog.yml and the environment."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "config.what_config": {"en": "The configuration file", "fr": "Le fichier de configuration"},
    "config.what_catalog": {"en": "The product catalogue", "fr": "Le catalogue de produits"},
    "config.not_found": {
        "en": "{what} not found at {path}: create it or fix the path",
        "fr": "{what} est introuvable ({path}) : créez-le ou corrigez le chemin",
    },
    "config.bad_yaml": {
        "en": "{what} at {path} is not valid YAML: {error}",
        "fr": "{what} ({path}) n'est pas du YAML valide : {error}",
    },
    "config.not_mapping": {
        "en": "{what} at {path} must be a mapping of keys to values",
        "fr": "{what} ({path}) doit associer des clés à des valeurs (un mapping YAML)",
    },
    "config.invalid": {
        "en": "{path} has invalid settings: {problems}",
        "fr": "{path} contient des réglages invalides : {problems}",
    },
    "config.top_level": {"en": "(top)", "fr": "(racine)"},
    "config.product_needs_name": {
        "en": "a product needs a name",
        "fr": "un produit doit avoir un nom",
    },
}
# fmt: on
