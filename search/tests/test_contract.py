"""Runs the behavioural contract (search/tests/contract.py) against every available backend."""

from search.tests.contract import *  # noqa: F403
