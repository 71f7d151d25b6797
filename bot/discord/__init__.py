"""The Discord layer: the bot, its error tree, checks, views and message payloads."""
