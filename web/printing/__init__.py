"""Printed maps over HTTP (/print) and from the command line."""
