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
    "config.bad_timezone": {
        "en": "{zone!r} is not a time zone: use an IANA name such as America/Toronto or "
              "Europe/Paris",
        "fr": "{zone!r} n'est pas un fuseau horaire : indiquez un nom IANA comme "
              "America/Toronto ou Europe/Paris",
    },
    "config.bad_languages": {
        "en": "Réplique answers in {shipped}; brand.languages lists {languages}",
        "fr": "Réplique répond en {shipped} ; brand.languages indique {languages}",
    },
    "config.bad_default_language": {
        "en": "brand.default_language is {language!r}, which is not one of brand.languages "
              "({languages})",
        "fr": "brand.default_language vaut {language!r}, qui n'est pas dans brand.languages "
              "({languages})",
    },
    "config.is_a_folder": {
        "en": "{what} {path} is a folder: give the path of the file itself",
        "fr": "{what} {path} est un dossier : indiquez le chemin du fichier lui-même",
    },
    "config.unreadable": {
        "en": "{what} {path} cannot be read: {error}",
        "fr": "{what} {path} ne peut pas être lu : {error}",
    },
    "config.bad_environment": {
        "en": "an environment variable is not valid: {problems}",
        "fr": "une variable d'environnement n'est pas valide : {problems}",
    },
    "config.top_level": {"en": "(top)", "fr": "(racine)"},
    "config.product_needs_name": {
        "en": "a product needs a name",
        "fr": "un produit doit avoir un nom",
    },
}
# fmt: on
