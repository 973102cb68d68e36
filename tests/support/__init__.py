"""Helpers shared by test folders: plain functions, no pytest fixtures."""
