"""Django management commands of blended_xblocks."""
