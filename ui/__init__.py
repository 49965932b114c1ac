"""The Gradio web interface: pages and their wiring to the answer service (started by app.py).

Importing the package first prepares the model runtime (offline hub, passive OpenMP), because Gradio
imports huggingface_hub, which reads ``HF_HUB_OFFLINE`` once, when it is first imported.
"""

from index.models import prepare_runtime

prepare_runtime()
