"""Order workflow and supplier names through the real client against the sandbox."""
