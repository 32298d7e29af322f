"""The `blended_application` block: a call for applications, its form, reviews and the selection."""
