"""Security tier: properties of the platform as it is provisioned (kyodo_launcher.testing)."""
