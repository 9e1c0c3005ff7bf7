"""Who is asking, and may they: sessions, tokens, HTTP Basic, display links and their scope, login throttling."""
