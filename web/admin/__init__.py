"""Administration pages: accounts, API tokens, display links; my account."""
