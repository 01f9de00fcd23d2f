"""Ordinary fits, run side by side so that their training can be fused.

A ``FusedSession`` runs a list of fit tasks (each calls ``est.fit(X, y)``
unchanged: validation, target encoding, network building, callbacks, attributes,
warnings), each in a thread of its own, one at a time. Each task is given its own
``SessionEngine``, which the caller puts on the estimator it fits
(``est._engine``): when that fit reaches training it hands its
``TrainingRequest`` to its engine, which parks it with the session and waits.
Once every fit is waiting or done, the session trains the waiting requests
(``_dispatch.train_together``: those of one shape as one program, the others
alone) and hands each fit its History, or its exception, back. The fits then
finish, again one at a time. So a fused fit runs exactly the code of a standalone
one except the epoch loop, and nothing runs concurrently: the threads only hold
each fit's place.

Nothing here is process-wide: a session's state is its own, reached only through
the engines it handed out. Process-wide random state is the session's to seed:
its engines tell the fit so (``manages_random_state``), and the session seeds the
global generators around each network it trains alone, as the fit would have.
"""

from __future__ import annotations

import threading

from ._dispatch import Engine, can_fuse, train_one


class _Slot:
    """One fit's place in the session: running -> waiting -> running ... -> done."""

    def __init__(self):
        self.state = "running"
        self.request = None
        self.reply = None


class SessionEngine(Engine):
    """The engine of one fit run by a ``FusedSession``."""

    manages_random_state = True

    def __init__(self, session, slot):
        self._session = session
        self._slot = slot

    def train(self, request):
        if not can_fuse(request):
            return train_one(request)  # nothing to fuse it with: train it now
        return self._session.submit(self._slot, request)


class FusedSession:
    """Run fit tasks so that their networks train together (see the module doc)."""

    def __init__(self, train):
        self._train = train  # requests -> a History or an exception for each
        self._cond = threading.Condition()

    # ----------------------------------------------------------- fit's side
    def submit(self, slot, request):
        """Called from a fit's thread: wait for the network's training, return its
        History (or raise the exception its training raised)."""
        with self._cond:
            slot.request, slot.reply, slot.state = request, None, "waiting"
            self._cond.notify_all()
            self._cond.wait_for(lambda: slot.state == "running")
        reply, slot.reply = slot.reply, None
        if isinstance(reply, BaseException):
            raise reply
        return reply

    # ------------------------------------------------------ the caller's side
    def run(self, tasks) -> list:
        """Run ``tasks`` (callables taking their ``SessionEngine``); return
        ``(result, None)`` or ``(None, exc)`` for each, in order."""
        results = [None] * len(tasks)
        slots = []
        threads = []
        for i, task in enumerate(tasks):
            slot = _Slot()
            engine = SessionEngine(self, slot)
            thread = threading.Thread(
                target=self._work, args=(i, task, engine, slot, results), daemon=True
            )
            slots.append(slot)
            threads.append(thread)
            thread.start()
            self._wait_idle(slot)
        while True:
            waiting = [slot for slot in slots if slot.state == "waiting"]
            if not waiting:
                break
            replies = self._train([slot.request for slot in waiting])
            for slot, reply in zip(waiting, replies, strict=True):
                with self._cond:
                    slot.request, slot.reply, slot.state = None, reply, "running"
                    self._cond.notify_all()
                self._wait_idle(slot)
        for thread in threads:
            thread.join()
        return results

    def _wait_idle(self, slot) -> None:
        with self._cond:
            self._cond.wait_for(lambda: slot.state != "running")

    def _work(self, i, task, engine, slot, results) -> None:
        try:
            results[i] = (task(engine), None)
        except BaseException as exc:  # handed to the caller, as a fit would raise it
            results[i] = (None, exc)
        finally:
            with self._cond:
                slot.state = "done"
                self._cond.notify_all()
