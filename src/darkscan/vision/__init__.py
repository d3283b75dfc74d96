"""Screen analysis from pixels and hierarchy: OCR, measurements, the ScreenContext."""
