"""Tests that drive JupyterLab in a real Chromium (marker: browser)."""
