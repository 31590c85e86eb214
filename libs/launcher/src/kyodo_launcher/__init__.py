"""The `kyodo` launcher: the whole platform on one machine, stopped by PID on Ctrl-C."""
