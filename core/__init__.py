"""Foundations every layer may import: the one Settings object and the one error base class."""
