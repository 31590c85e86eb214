"""Identity: municipalities as tenants, staff and partner clients, tokens, support grants."""
