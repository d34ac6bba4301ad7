"""SQLAlchemy repositories, one module per concept: rows in, domain values out."""
