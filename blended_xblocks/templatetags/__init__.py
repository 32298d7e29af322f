"""Template tags our templates use (translation in the block's domain)."""
