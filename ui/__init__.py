"""The Gradio web interface: pages and their wiring to the answer service (started by app.py)."""
