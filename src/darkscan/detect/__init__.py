"""Detectors: per-screen rules (pixels + hierarchy) and graph rules (step counts)."""
