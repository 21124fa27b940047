"""showbot's shells: the CLI and the Discord bot, over the same handlers in ``bot.handlers``."""
