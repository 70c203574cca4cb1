"""crossborder: cross-border e-commerce compliance and settlement.

Exact money, dated rules with citations, and an explanation behind every
answer. Importing the package is cheap: subpackages and data load on first use.

>>> import crossborder
>>> from crossborder.money import Money
>>> Money.of("12.34", "EUR") + Money.of("0.66", "EUR")
Money('13.00', 'EUR')
"""

__version__ = "0.1.0"
__all__ = ["DATA_VERSION", "__version__"]

DATA_VERSION: str  # computed on first access by __getattr__ (reads the data files)


def __getattr__(name: str) -> str:
    if name == "DATA_VERSION":
        from crossborder.rules._book import packaged_data_version

        return packaged_data_version()
    raise AttributeError(f"module 'crossborder' has no attribute {name!r}")
