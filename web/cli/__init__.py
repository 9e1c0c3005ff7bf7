"""`flask --app web …` commands: data import/export, accounts, backups, the store."""
