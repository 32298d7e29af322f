"""The blended_webinar block: block.py (thin), its rules, models.py and api.py (its only door)."""
