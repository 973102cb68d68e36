"""Real-browser tests: the app in a subprocess, driven by Playwright in Chromium."""
