"""Other services' events as this service expects them (its own models: no service imports
another's code; contracts/consumers/ checks them against the producers' schemas)."""
