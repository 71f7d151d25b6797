"""Answers to cards within Discord's limits, and cards to terminal panels. Imports no Discord.

`cards.answer_cards` is the way in; `formatters` holds one formatter per answer type, `pages` the
`Card` and its paging, `limits` Discord's limits, `text` escaping and measuring, `colours` the
class colours, and `terminal` the rich panels.
"""
