"""Exporters: turn certjourney data into files other tools read (Anki, Toggl, JSON).

Headless: nothing here imports Textual.
"""
