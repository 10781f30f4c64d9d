"""The production smoke check (production.py), run by ./run test; not collected by pytest."""
