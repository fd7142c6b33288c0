"""TEST-ONLY hook: makes the journal PDF render observably slow.

Never imported by the app. The fault scripts start a worker with
`celery -A config worker -I scripts.reliability.slow_journal` so that a job
stays in the middle of its render long enough to be killed there: the real
renderer of pendampingan.pdf runs, with SLOW_JOURNAL_SECONDS of sleep split
around it (half before, half after the WeasyPrint call).
"""

import logging
import os
import time

from pendampingan import pdf

logger = logging.getLogger(__name__)
DELAY = float(os.environ.get("SLOW_JOURNAL_SECONDS", "1.5"))
_render = pdf.render_pdf


def _slow_render(*args, **kwargs):
    time.sleep(DELAY / 2)
    content = _render(*args, **kwargs)
    time.sleep(DELAY / 2)
    return content


pdf.render_pdf = _slow_render
logger.warning("TEST-ONLY: journal PDF render slowed by %.1f s (pid %s)", DELAY, os.getpid())
