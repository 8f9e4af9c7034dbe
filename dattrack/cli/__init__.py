"""The command line: one typer sub-app per noun, assembled in app.py. Parsing and printing only."""
