"""A single background thread that runs callbacks at given times."""

import heapq
import itertools
import threading
import time
import traceback


class Scheduler:
    """Runs `fn()` after a delay, in order, on one daemon thread; stop() ends it."""

    def __init__(self):
        self._queue = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="lnd-sim-scheduler", daemon=True)
        self._thread.start()

    def call_later(self, delay_seconds, fn):
        """Schedule fn to run once, delay_seconds from now."""
        with self._cond:
            heapq.heappush(self._queue, (time.monotonic() + delay_seconds, next(self._counter), fn))
            self._cond.notify()

    def clear(self):
        """Drop every pending callback."""
        with self._cond:
            self._queue.clear()

    def stop(self):
        """Stop the thread; pending callbacks are dropped."""
        with self._cond:
            self._stopped = True
            self._queue.clear()
            self._cond.notify()
        self._thread.join(timeout=5)

    def _next_due(self):
        with self._cond:
            while not self._stopped:
                if self._queue and self._queue[0][0] <= time.monotonic():
                    return heapq.heappop(self._queue)[2]
                timeout = self._queue[0][0] - time.monotonic() if self._queue else None
                self._cond.wait(timeout)
            return None

    def _run(self):
        while (fn := self._next_due()) is not None:
            try:
                fn()
            except Exception:  # a failing callback must not stop the simulator
                traceback.print_exc()
