"""darkscan: find dark patterns in mobile apps by driving them.

Data flows one way: device -> screens -> screen graph -> findings -> report/gate.
"""

__version__ = "0.1.0"
