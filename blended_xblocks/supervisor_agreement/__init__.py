"""The blended_supervisor_agreement block: block.py (thin), its rules, models.py and api.py (its only door)."""
