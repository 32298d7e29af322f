"""The blended_experience_sharing block: block.py (thin), its rules, models.py and api.py (its only door)."""
