"""The signposting directory: where residents can find help. No pages of its own: the Get help page,
the report confirmation page and the admin pages use its service functions."""
