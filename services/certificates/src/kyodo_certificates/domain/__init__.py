"""The certificates' rules and content, without I/O."""
