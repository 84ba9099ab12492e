"""Floorplanning and placement engines (independent of files and CLI)."""
