"""The Textual TUI. Imported only when the app opens: the CLI never loads it
for other commands."""
