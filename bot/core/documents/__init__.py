"""Reading a race document into the race model (`model.Race`), and writing one back.

Parsing, the prose around the tables, the results and statistics tables, the checks that make a
document's mistakes precise, and the compact record the store keeps a race in. May import only
the modules beside the subpackages (`bot.core.limits`, `formats`, `matching`, `collector`).
"""
