"""Load tests of the reader and editor pages against a large corpus.

pages.py lists what is measured and the target of each page; runner.py serves the app
with gunicorn and measures it; report.py judges the figures and writes them down.
"""
