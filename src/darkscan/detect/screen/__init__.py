"""Per-screen detectors: one module per dark pattern, each ``detect(ctx) -> list[Finding]``."""
