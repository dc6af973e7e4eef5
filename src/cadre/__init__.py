"""Cadre: an open-source platform for staffing AI talent."""

__version__ = "0.1.0"
