"""What every upstream platform's client shares: the error tree, retry decisions and
sending one request (``lib/pleasurestock``, ``lib/stock2shop``, …)."""
