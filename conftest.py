"""Fixtures shared by every test tier."""

pytest_plugins = ["kyodo_testing"]
