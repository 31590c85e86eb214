"""Japanese formats shared by the services: 和暦, check digits, フリガナ, postal codes."""
