"""The formatters: one function per answer type, grouped by family, each answer -> cards.

`entries` writes the pieces every family shares (a car's label, position, gap, crew, source);
`results` the car and driver answers, `races` the race answers, `replies` help and refusals.
`bot.present.cards.answer_cards` picks the formatter.
"""
