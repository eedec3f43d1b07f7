# Migration 0003 names this path for the invitation token default; the invitation lives in core.invitations.
from core.invitations import new_invitation_token as _new_token  # noqa: F401
