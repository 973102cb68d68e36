"""What every upstream platform can do, in one shape: capabilities, the ``Source``
protocol, normalised records (``records``), the adapters (``pleasurestock``,
``stock2shop``), each source's stored snapshot (``sync``) and the links between the
sources' items (``matching``, ``links``). Import from the modules themselves: this package
imports nothing, so storage and settings may use its value types."""
