"""Devices: the protocol the crawler drives, the virtual device and the uiautomator2 adapter."""
