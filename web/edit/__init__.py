"""The planners' pages: the map editor, a place's history, import and export."""
