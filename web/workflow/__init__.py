"""Campaign workflow: daily inspections, my places, milestones, timeline, the daily report."""
