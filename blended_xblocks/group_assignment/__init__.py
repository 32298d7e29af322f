"""The blended_group_assignment block: block.py (thin), its rules, models.py and api.py (its only door)."""
