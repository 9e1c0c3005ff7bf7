"""The wall map: desk and big-screen pages, their data, viewport shapes of large layers, warm-up, playback, basemap tiles."""
