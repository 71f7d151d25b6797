"""The loaded races and who is who across documents.

The library of races, the identities that say two spellings are one team or driver, duplicate
races, and the catalogue (the name and race indexes every question searches). May import
`bot.core.documents` and the modules beside the subpackages, never `bot.core.asking`.
"""
