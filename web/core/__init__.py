"""The app's common ground: settings, per-app context, HTTP helpers, security headers, errors, logging,
request validation, health checks."""
