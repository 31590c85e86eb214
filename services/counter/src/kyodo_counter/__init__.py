"""The counter (窓口) app: a clerk's day in a browser, through the public API only."""
