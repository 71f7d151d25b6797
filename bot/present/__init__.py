"""Answers to cards within Discord's limits, and cards to terminal panels. Imports no Discord."""
