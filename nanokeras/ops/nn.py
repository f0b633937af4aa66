"""placeholder docstring"""

__all__ = []
