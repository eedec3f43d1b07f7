"""A local Biteship-compatible courier aggregator for the demo and the tests (see README.md)."""
