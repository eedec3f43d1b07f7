# Migrations name this path (offtakers 0001, sellers 0003); the NPWP rules live in core.identifiers.
from core.identifiers import validate_npwp  # noqa: F401
