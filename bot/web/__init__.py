"""The local web playground and the insights page: pages, static files and their helpers.

``bot.channels.web`` serves them; this package holds what the browser gets (``pages/`` rendered by
Jinja with autoescape on, ``static/`` plain JS and CSS with no build step and nothing fetched from
the internet) and the pure functions behind them (JSON payloads, UI strings, SVG charts).
"""
