"""The Discord layer.

client (the bot), tree (the error handler), checks (owner, per-user limit), answer_service (the
cached answers the cogs call), rendering (embeds and payloads), paging and views (◀ ▶ pages),
reload_report (the /reload message).
"""
