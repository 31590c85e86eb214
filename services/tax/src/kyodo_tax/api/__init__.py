"""The tax API: routes, request and response bodies."""
