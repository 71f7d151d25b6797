"""The questions: each takes the catalogue and what was typed, and returns an answer or refuses.

A refusal (no races, no such race, an empty or over-long option) is raised as `Refused` where it
is found and turned into its answer once, by the query service's dispatch.
"""
