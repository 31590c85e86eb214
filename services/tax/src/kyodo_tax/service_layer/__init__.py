"""Use cases of the tax service and its reactions to other services' events."""
