"""The app's pages, one module per area of the counter's work."""
