"""Residents' and volunteers' reports (随手拍): the report record, its triage into the case loop, the reporter's
follow-up and rating (`reports.py`), the photos a reporter sends (`photos.py`), the places and open cases near a
pin (`nearby.py`) and the proof-of-work challenge of the public page (`challenge.py`). No Flask here."""
