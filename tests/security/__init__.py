"""Security tests across services: login abuse, isolation."""
