"""Dual-sided global routing and track assignment engines."""
