"""Local stand-ins for outside services, run as separate processes by the demo and the tests."""
