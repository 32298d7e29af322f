"""XBlocks that turn an Open edX course into a blended programme."""

__version__ = "0.1.0"
