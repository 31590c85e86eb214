"""Other services' events as identity expects them (its own models; contracts/consumers/
checks them against the producers' schemas)."""
