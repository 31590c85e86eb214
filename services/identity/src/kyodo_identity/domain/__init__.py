"""Domain rules of identity."""
