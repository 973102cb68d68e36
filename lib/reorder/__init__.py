"""Reorder: Smart Reordering recommendations, our forecast cross-check, purchase orders."""
