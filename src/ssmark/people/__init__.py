"""People: invitations, password reset, one's own sessions, deactivating an account."""
