"""`python -m kyodo_launcher` is the `kyodo` command."""

from kyodo_launcher.cli import app

app(prog_name="kyodo")
