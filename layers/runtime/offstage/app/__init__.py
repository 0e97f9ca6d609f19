"""Use cases: what a request does with a session (load, evaluate, save, then send)."""
