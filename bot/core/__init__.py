"""The pure core: documents to races, races to answers. Imports nothing of Discord or rich.

`documents` reads a document into a race, `library` holds the loaded races and who is who across
them, `asking` answers questions about them; each imports only those before it. Beside them:
`limits` (Discord's size limits), `formats` (shared small formats), `matching` (normalising
and searching names) and `collector` (pausing garbage collection while a library is built).
"""
