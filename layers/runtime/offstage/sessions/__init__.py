"""Session ids, secrets and the sealing of answers at rest (pure: no AWS)."""
