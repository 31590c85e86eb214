"""Tables, the read models' storage and the fast writers of the tax service."""
