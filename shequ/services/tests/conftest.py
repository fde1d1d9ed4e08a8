"""The services tests use the suite's shared fixtures (root conftest): personas,
``catalogue``, ``guanpo``, ``resident`` and ``receive``."""
