"""infobank: an information bank (情報銀行) and data intermediary (データ仲介者)."""

__version__ = "0.1.0"

__all__ = ["__version__"]
