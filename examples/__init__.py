"""An example shop-analytics package: orders, catalog, analytics, ML and platform tasks.

Every module is written against the ``compiler`` authoring API. The same sources, with their
imports rewritten to flytekit's modules (``tests/oracle/porting.py``), are the oracle package
that the differential tests serialize with ``pyflyte package``.
"""
