"""The pure core: documents to races, races to answers. Imports nothing of Discord or rich."""
