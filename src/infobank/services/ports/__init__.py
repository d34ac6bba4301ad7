"""Ports: what the use cases need from the outside world, as ``typing.Protocol``, one
module per concept. Adapters implement them (``SqlAlchemyUnitOfWork``, ``AesGcmDataKeys``,
``SystemClock`` …); unit tests use the tiny fakes in ``tests/fakes.py``.
"""
