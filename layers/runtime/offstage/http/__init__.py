"""The HTTP edge shared by the handlers: observability, request parsing, auth, errors -> responses."""
