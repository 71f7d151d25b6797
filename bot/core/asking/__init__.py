"""Answering questions: the command table, the query service, the questions and autocomplete.

May import `bot.core.library`, `bot.core.documents` and the modules beside the subpackages.
"""
