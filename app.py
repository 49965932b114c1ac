"""报告问答 — the chat app over the reports, answering with citations to the source text.

    python app.py [--host 127.0.0.1] [--port 7860] [--share] [--corpus DIR] [--index-dir DIR] [--set FIELD=VALUE]

Login: set REPORTQA_USER and REPORTQA_PASSWORD. The interface lives in ``ui/``;
this file only starts it.
"""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
