"""Plain building blocks every layer uses; imports nothing else of ours."""
