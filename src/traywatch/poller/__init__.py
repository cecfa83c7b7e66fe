"""Fetching and scheduling on plain asyncio: no Qt, no threads."""
