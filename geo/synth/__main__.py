"""`python -m geo.synth …`: see geo/synth/cli.py."""

from geo.synth.cli import main

raise SystemExit(main())
