"""The answers of a session as stored: a safe, versioned, JSON-based codec (never pickle)."""
